// Panel CSS, injected into the widget's Shadow root (nothing reaches the host page).
export const PANEL_CSS = `
.w{display:flex;flex-direction:column;height:100%;background:#fff;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.2);overflow:hidden}
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
.oc{width:260px}
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
`;
