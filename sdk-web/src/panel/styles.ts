// Panel CSS, injected into the widget's Shadow root (nothing reaches the host page).
export const PANEL_CSS = `
.w{position:relative;display:flex;flex-direction:column;height:100%;background:#fff;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.2);overflow:hidden}
@media (max-width:600px){.w{border-radius:0}}
.hd{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--kefu-color);color:#fff}
.hd h2{flex:1;margin:0;font-size:16px;font-weight:600;line-height:1.3}
.hd small{display:block;font-size:12px;font-weight:400;opacity:.9}
.ib{all:unset;cursor:pointer;border-radius:6px;padding:4px 8px;font-size:13px;line-height:1.4;color:inherit}
.ib:hover{background:rgba(255,255,255,.18)}
.ib:focus-visible,.btn:focus-visible,.tb:focus-visible,.em button:focus-visible,.st:focus-visible{outline:2px solid #1f6feb;outline-offset:1px}
.bn{padding:6px 12px;font-size:12px;background:#fff7e6;color:#ad6800;border-bottom:1px solid #ffe7ba}
.bn.e{background:#fff1f0;color:#a8071a;border-color:#ffccc7}
.ls{flex:1;overflow-y:auto;padding:12px;background:#f5f6f7;display:flex;flex-direction:column;gap:10px}
.ol{align-self:center;font-size:12px;color:#8c8c8c}
.ol button{all:unset;cursor:pointer;color:var(--kefu-color)}
.sys{align-self:center;font-size:12px;color:#8c8c8c;background:#ebedf0;border-radius:10px;padding:2px 10px;text-align:center;max-width:90%}
.r{display:flex;flex-direction:column;align-items:flex-start;max-width:82%}
.r.me{align-self:flex-end;align-items:flex-end}
.nm{font-size:12px;color:#8c8c8c;margin:0 4px 2px}
.bb{background:#fff;border-radius:10px;padding:8px 12px;word-break:break-word;white-space:pre-wrap;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.me .bb{background:var(--kefu-color);color:#fff}
.me .bb.cd{background:#fff;color:#1f2328}
.mt{font-size:11px;color:#8c8c8c;margin:2px 4px 0}
.mt.f{color:#cf1322}
.mt button{all:unset;cursor:pointer;color:var(--kefu-color);margin-left:6px}
.im{display:block;max-width:200px;max-height:240px;border-radius:8px;background:#e8e8e8;min-width:60px;min-height:60px}
.cd{display:flex;gap:10px;width:260px;padding:10px;text-decoration:none;color:inherit}
.cd img{width:64px;height:64px;object-fit:cover;border-radius:6px;flex:none;background:#f0f0f0}
.cd b{display:block;font-weight:600;font-size:13px;line-height:1.35;max-height:2.7em;overflow:hidden}
.cd .lb{color:#f5222d;font-size:13px;margin-top:4px}
.cd .sub{color:#8c8c8c;font-size:12px}
.oc{width:260px;display:block}
.oc .ohd{display:flex;justify-content:space-between;font-size:12px;color:#8c8c8c;margin-bottom:6px}
.oc .ost{color:var(--kefu-color);font-weight:600}
.oc .gs{display:flex;gap:6px;margin-bottom:6px}
.oc .gs img{width:44px;height:44px;border-radius:4px;object-fit:cover;background:#f0f0f0}
.bot .src{margin-top:6px;font-size:12px;color:#595959}
.bot .src a{color:var(--kefu-color);display:block}
.sg{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.sg button{all:unset;cursor:pointer;font-size:12px;border:1px solid var(--kefu-color);color:var(--kefu-color);border-radius:12px;padding:2px 10px}
.ty{font-size:12px;color:#8c8c8c;padding:0 4px}
.cp{border-top:1px solid #eee;background:#fff;padding:6px 10px 10px}
.tbs{display:flex;gap:4px;margin-bottom:4px}
.tb{all:unset;cursor:pointer;padding:4px 6px;border-radius:6px;font-size:18px;line-height:1;color:#595959}
.tb:hover{background:#f0f0f0}
.tb.t{font-size:13px;padding:5px 8px}
.tb.on{background:#fff1f0;color:#cf1322}
.tb[disabled]{opacity:.4;cursor:default}
.tb img{width:20px;height:20px;display:block}
.in{display:flex;gap:8px;align-items:flex-end}
textarea{flex:1;resize:none;border:1px solid #d9d9d9;border-radius:8px;padding:8px 10px;font:inherit;color:inherit;min-height:40px;max-height:120px;outline:none;background:#fff;margin:0;box-sizing:border-box}
textarea:focus{border-color:var(--kefu-color)}
.btn{all:unset;box-sizing:border-box;cursor:pointer;background:var(--kefu-color);color:#fff;border-radius:8px;padding:8px 16px;font-size:14px;line-height:1.5;text-align:center}
.btn[disabled]{opacity:.5;cursor:default}
.btn.g{background:#f0f0f0;color:#1f2328}
.em{display:grid;grid-template-columns:repeat(8,1fr);gap:2px;max-height:150px;overflow-y:auto;padding:4px 0}
.em button{all:unset;cursor:pointer;font-size:20px;text-align:center;border-radius:6px;padding:2px}
.em button:hover{background:#f0f0f0}
.pk{max-height:220px;overflow-y:auto;display:flex;flex-direction:column;gap:6px;padding:4px 0}
.pk button{all:unset;cursor:pointer;border:1px solid #eee;border-radius:8px}
.pk button:hover,.pk button:focus-visible{border-color:var(--kefu-color)}
.fm{display:flex;flex-direction:column;gap:8px;padding:12px;background:#fff;border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.06);align-self:stretch}
.fm h3{margin:0;font-size:14px}
.fm p{margin:0;font-size:12px;color:#8c8c8c}
.fm .rl{color:#fa8c16;font-size:13px}
.fm input,.fm textarea{border:1px solid #d9d9d9;border-radius:6px;padding:6px 8px;font:inherit;width:100%;box-sizing:border-box}
.fm label{font-size:12px;color:#595959;display:flex;flex-direction:column;gap:2px}
.fm .err{color:#cf1322;font-size:12px}
.row{display:flex;gap:8px;justify-content:flex-end;flex-wrap:wrap}
.sts{display:flex;gap:4px;justify-content:center}
.st{all:unset;cursor:pointer;font-size:28px;color:#d9d9d9;line-height:1}
.st.on{color:#fadb14}
.nps{display:grid;grid-template-columns:repeat(11,1fr);gap:2px}
.nps button{all:unset;cursor:pointer;text-align:center;border:1px solid #d9d9d9;border-radius:4px;font-size:12px;padding:3px 0}
.nps button.on{background:var(--kefu-color);color:#fff;border-color:var(--kefu-color)}
.tags{display:flex;flex-wrap:wrap;gap:6px}
.tags button,.two button,.sv button{all:unset;cursor:pointer;border:1px solid #d9d9d9;border-radius:12px;padding:2px 10px;font-size:12px}
.tags button.on,.two button.on,.sv button.on{border-color:var(--kefu-color);color:var(--kefu-color);background:#f0f7ff}
.two,.sv{display:flex;gap:8px;align-items:center;flex-wrap:wrap;font-size:12px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.kefu-link{color:inherit;text-decoration:underline}
.kefu-time{align-self:center;font-size:12px;color:#8c8c8c;margin-top:4px}
.kefu-line{display:flex;align-items:center;gap:6px;max-width:100%}
.me .kefu-line{flex-direction:row-reverse}
.kefu-actions{display:flex;gap:2px;opacity:0;transition:opacity .15s}
.r:hover .kefu-actions,.r:focus-within .kefu-actions{opacity:1}
@media (hover:none){.kefu-actions{opacity:1}}
.kefu-action{all:unset;cursor:pointer;font-size:12px;color:#8c8c8c;padding:2px 4px;border-radius:4px;white-space:nowrap}
.kefu-action:hover{background:#e8e8e8;color:#1f2328}
.kefu-action:focus-visible,.kefu-quote:focus-visible,.kefu-stickers button:focus-visible{outline:2px solid #1f6feb}
.kefu-quote{all:unset;box-sizing:border-box;display:block;max-width:100%;font-size:12px;line-height:1.5;color:#595959;background:#ebedf0;border-left:3px solid #bfbfbf;border-radius:4px;padding:2px 8px;margin-bottom:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
button.kefu-quote{cursor:pointer}
.kefu-flash>.kefu-line>*:first-child{box-shadow:0 0 0 3px #ffd666}
.kefu-quoting{display:flex;align-items:center;gap:6px;font-size:12px;color:#595959;background:#f5f6f7;border-radius:6px;padding:4px 8px;margin-bottom:6px}
.kefu-quoting span{flex:1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.kefu-sticker{display:block;width:96px;height:96px}
.kefu-stickers{display:grid;grid-template-columns:repeat(8,1fr);gap:4px;max-height:150px;overflow-y:auto;padding:4px 0}
.kefu-stickers button{all:unset;cursor:pointer;border-radius:6px;padding:2px}
.kefu-stickers button:hover{background:#f0f0f0}
.kefu-stickers img{display:block;width:100%;aspect-ratio:1}
.kefu-file{display:flex;align-items:center;gap:10px;width:240px;white-space:normal}
.me .kefu-file{background:#fff;color:#1f2328}
.kefu-file-icon{font-size:26px;line-height:1}
.kefu-file-info{flex:1;min-width:0;display:flex;flex-direction:column}
.kefu-file-name{font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.kefu-file-size{font-size:12px;color:#8c8c8c}
.kefu-file-download{font-size:12px;color:var(--kefu-color);text-decoration:none;white-space:nowrap}
.kefu-recording{display:flex;align-items:center;gap:8px;min-height:40px}
.kefu-rec-dot{width:10px;height:10px;border-radius:50%;background:#f5222d;animation:kefu-blink 1s infinite}
@keyframes kefu-blink{50%{opacity:.3}}
.kefu-rec-text{flex:1;font-size:13px}
.kefu-rec-text small{color:#8c8c8c;margin-left:6px}
.kefu-hint{font-size:12px;color:#cf1322;margin-bottom:4px}
.kefu-toast{position:absolute;left:50%;bottom:90px;transform:translateX(-50%);background:rgba(0,0,0,.75);color:#fff;font-size:13px;border-radius:8px;padding:6px 12px;max-width:80%;text-align:center}
.kefu-drop{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;background:rgba(255,255,255,.9);border:2px dashed var(--kefu-color);border-radius:inherit;color:var(--kefu-color);font-size:15px;pointer-events:none}
.kefu-backdrop{position:absolute;inset:0;background:rgba(0,0,0,.35);display:flex;align-items:center;justify-content:center;padding:16px}
.kefu-dialog{background:#fff;border-radius:10px;padding:16px;max-width:300px;box-shadow:0 8px 24px rgba(0,0,0,.2)}
.kefu-dialog h3{margin:0 0 8px;font-size:15px}
.kefu-dialog p{margin:0 0 14px;font-size:13px;color:#595959}
`;
