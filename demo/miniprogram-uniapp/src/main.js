import { createSSRApp } from 'vue';
import App from './App.vue';

// uni-app's entry: it calls createApp() and mounts the app for each platform.
export function createApp() {
  const app = createSSRApp(App);
  return { app };
}
