// WeChat's native UI and file APIs <kefu-chat> calls, stood in from their documented contracts (its
// runtime cannot run here). Files are real: chooseMessageFile hands out real files, downloadFile really
// downloads (fetch) into a temp file, openDocument records what it would show.
//
// - wx.showActionSheet({itemList, success({tapIndex}), fail({errMsg: 'showActionSheet:fail cancel'})}).
// - wx.showModal({title, content, confirmText, cancelText, success({confirm, cancel})}).
// - wx.chooseMessageFile({count, type, extension, success({tempFiles: [{path, size, name, type, time}]})});
//   a closed picker calls fail({errMsg: 'chooseMessageFile:fail cancel'}).
// - wx.downloadFile({url, success({tempFilePath, statusCode}), fail({errMsg})}) returns a DownloadTask.
// - wx.openDocument({filePath, fileType, showMenu, success, fail}); wx.setClipboardData({data}).
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WxUi {
  /** Labels the next action sheets pick, in order (none left: the customer cancels). */
  sheetPicks: string[];
  /** Every action sheet shown: its item list. */
  sheets: string[][];
  /** Answers to the next modals (true: confirm; none left: cancel). */
  modalAnswers: boolean[];
  modals: { title: string; content: string; confirmText?: string; cancelText?: string }[];
  /** Files the next chooseMessageFile calls pick: a real file and the name WeChat reports for it. */
  messageFiles: { path: string; name: string }[];
  chooseFileCalls: { type: string; extension?: string[] }[];
  downloads: string[];
  documents: { filePath: string; fileType?: string; showMenu?: boolean }[];
  clipboard: string[];
}

type Fail = (e: { errMsg: string }) => void;

export function createWxUi(): WxUi & Record<string, unknown> {
  const downloadDir = mkdtempSync(join(tmpdir(), 'kefu-wx-download-'));
  let downloaded = 0;
  const ui: WxUi & Record<string, unknown> = {
    sheetPicks: [],
    sheets: [],
    modalAnswers: [],
    modals: [],
    messageFiles: [],
    chooseFileCalls: [],
    downloads: [],
    documents: [],
    clipboard: [],
    showActionSheet(options: {
      itemList: string[];
      success?: (r: { tapIndex: number }) => void;
      fail?: Fail;
    }) {
      ui.sheets.push(options.itemList);
      const pick = ui.sheetPicks.shift();
      const index = pick === undefined ? -1 : options.itemList.indexOf(pick);
      setTimeout(() => {
        if (index < 0) options.fail?.({ errMsg: 'showActionSheet:fail cancel' });
        else options.success?.({ tapIndex: index });
      }, 0);
    },
    showModal(options: {
      title: string;
      content: string;
      confirmText?: string;
      cancelText?: string;
      success?: (r: { confirm: boolean; cancel: boolean }) => void;
    }) {
      const { title, content, confirmText, cancelText } = options;
      ui.modals.push({
        title,
        content,
        ...(confirmText ? { confirmText } : {}),
        ...(cancelText ? { cancelText } : {}),
      });
      const confirm = ui.modalAnswers.shift() === true;
      setTimeout(() => options.success?.({ confirm, cancel: !confirm }), 0);
    },
    chooseMessageFile(options: {
      type: string;
      extension?: string[];
      success?: (r: {
        tempFiles: { path: string; size: number; name: string; type: string; time: number }[];
      }) => void;
      fail?: Fail;
    }) {
      ui.chooseFileCalls.push({
        type: options.type,
        ...(options.extension ? { extension: options.extension } : {}),
      });
      const file = ui.messageFiles.shift();
      setTimeout(() => {
        if (!file) options.fail?.({ errMsg: 'chooseMessageFile:fail cancel' });
        else
          options.success?.({
            tempFiles: [
              {
                path: file.path,
                size: statSync(file.path).size,
                name: file.name,
                type: 'file',
                time: Date.now(),
              },
            ],
          });
      }, 0);
    },
    downloadFile(options: {
      url: string;
      success?: (r: { tempFilePath: string; statusCode: number }) => void;
      fail?: Fail;
    }) {
      ui.downloads.push(options.url);
      fetch(options.url)
        .then(async (res) => {
          downloaded += 1;
          const tempFilePath = join(downloadDir, `download-${String(downloaded)}`);
          writeFileSync(tempFilePath, new Uint8Array(await res.arrayBuffer()));
          options.success?.({ tempFilePath, statusCode: res.status });
        })
        .catch((e: unknown) => {
          options.fail?.({ errMsg: `downloadFile:fail ${e instanceof Error ? e.message : String(e)}` });
        });
      return { abort: () => undefined, onProgressUpdate: () => undefined };
    },
    openDocument(options: { filePath: string; fileType?: string; showMenu?: boolean; success?: () => void }) {
      const { filePath, fileType, showMenu } = options;
      ui.documents.push({ filePath, ...(fileType ? { fileType } : {}), ...(showMenu ? { showMenu } : {}) });
      setTimeout(() => options.success?.(), 0);
    },
    setClipboardData(options: { data: string }) {
      ui.clipboard.push(options.data);
    },
  };
  return ui;
}
