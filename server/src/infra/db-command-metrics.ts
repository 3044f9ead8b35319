import mongoose, { type Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';

const { calculateObjectSize } = mongoose.mongo.BSON;

/**
 * Counts every command the driver sends (MongoDB command monitoring: the connection must be opened with
 * `monitorCommands`): how many per command and collection, the BSON bytes sent (for writes: what is
 * written) and received. `npm run bench:messaging` divides them by the messages persisted (bench/README.md).
 * Off by default (DB_COMMAND_METRICS): sizing every command and reply costs CPU on the hot path.
 */
export function watchDatabaseCommands(conn: Connection, registry: Registry): void {
  const commands = new Counter({
    name: 'kefu_db_commands_total',
    help: 'Database commands sent, by command name and collection.',
    labelNames: ['command', 'collection'],
    registers: [registry],
  });
  const sent = new Counter({
    name: 'kefu_db_command_bytes_total',
    help: 'BSON bytes of the database commands sent, by command name and collection.',
    labelNames: ['command', 'collection'],
    registers: [registry],
  });
  const received = new Counter({
    name: 'kefu_db_reply_bytes_total',
    help: 'BSON bytes of the database replies, by command name.',
    labelNames: ['command'],
    registers: [registry],
  });
  const client = conn.getClient();
  client.on('commandStarted', (e) => {
    // The collection is the value of the command's own key ({ insert: 'messages', … }); admin commands have none.
    const target: unknown = (e.command as Record<string, unknown>)[e.commandName];
    const labels = { command: e.commandName, collection: typeof target === 'string' ? target : '' };
    commands.inc(labels);
    sent.inc(labels, calculateObjectSize(e.command));
  });
  client.on('commandSucceeded', (e) => {
    received.inc({ command: e.commandName }, calculateObjectSize(e.reply as Record<string, unknown>));
  });
}
