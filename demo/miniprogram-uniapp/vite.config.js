import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import uni from '@dcloudio/vite-plugin-uni';

export default defineConfig({
  plugins: [uni()],
  resolve: {
    // Shared with the Taro demo: products, identity, navigate handling (demo/miniprogram-shared).
    alias: { '@kefu-demo': fileURLToPath(new URL('../miniprogram-shared', import.meta.url)) },
  },
});
