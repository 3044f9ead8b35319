import Router from '@koa/router';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { RatingTemplateService } from '../../service/ratings/rating-template-service.js';
import {
  RATING_SCALES,
  defaultTemplate,
  templateFromStored,
  templateToStored,
  type RatingTemplate,
} from '../../service/ratings/rating-templates.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { actorOf, requireAgent, requireAuth } from './auth.js';
import { parseBody } from './validate.js';

const label = z.string().trim().max(20);
const templateSchema = z.strictObject({
  scale: z.enum(RATING_SCALES),
  prompt: z.string().trim().min(1).max(200),
  ask_solved: z.boolean(),
  options: z
    .array(
      z.strictObject({
        score: z.number().int().min(0).max(10),
        label,
        tags: z.array(z.string().trim().min(1).max(20)).max(10),
        tag_required: z.boolean().default(false),
        comment_required: z.boolean().default(false),
      }),
    )
    .min(2)
    .max(11),
});

// The API body is the stored form (templateToStored), already validated by templateSchema.
function fromBody(b: z.infer<typeof templateSchema>): RatingTemplate {
  const template = templateFromStored(b);
  if (!template) throw new Error('templateSchema admits only known scales');
  return template;
}

/**
 * Rating templates (满意度评价模板, `config`): the default and one per skill group; the defaults of each
 * scale for a form to start from. GET /admin/rating-templates, PUT …/default, PUT|DELETE …/groups/:id.
 */
export function ratingRoutes(deps: {
  tokens: TokenService;
  templates: RatingTemplateService;
  groupExists: (id: string) => Promise<boolean>;
}): Router {
  const router = new Router({ prefix: '/api/v1/admin/rating-templates' });
  router.use(requireAuth(deps.tokens), requireAgent('config'));
  const group = async (id: string | undefined): Promise<string> => {
    if (!id || !(await deps.groupExists(id))) throw new NotFoundError(`No group ${id ?? ''}`);
    return id;
  };

  router.get('/', async (ctx) => {
    const list = await deps.templates.list();
    ctx.body = {
      default: templateToStored(list.default),
      groups: list.groups.map((g) => ({ group_id: g.groupId, ...templateToStored(g.template) })),
      presets: Object.fromEntries(RATING_SCALES.map((s) => [s, templateToStored(defaultTemplate(s))])),
    };
  });

  router.put('/default', async (ctx) => {
    const body = parseBody(ctx, templateSchema);
    ctx.body = templateToStored(await deps.templates.saveDefault(actorOf(ctx), fromBody(body)));
  });

  router.put('/groups/:id', async (ctx) => {
    const body = parseBody(ctx, templateSchema);
    const id = await group(ctx.params['id']);
    const template = fromBody(body);
    await deps.templates.saveGroup(actorOf(ctx), id, template);
    ctx.body = { group_id: id, ...templateToStored(template) };
  });

  router.delete('/groups/:id', async (ctx) => {
    await deps.templates.saveGroup(actorOf(ctx), await group(ctx.params['id']), undefined);
    ctx.status = 204;
  });

  return router;
}
