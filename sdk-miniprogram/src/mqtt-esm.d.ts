// mqtt.js's browser build has no typings of its own; its API is the package's.
declare module 'mqtt/dist/mqtt.esm' {
  import mqtt from 'mqtt';
  export default mqtt;
  export type { IClientOptions } from 'mqtt';
}
