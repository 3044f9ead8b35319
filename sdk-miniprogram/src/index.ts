export { SDK_VERSION } from '@kefu/sdk-core';
