// The mini-program transport (sdk-core's MQTT client over MiniProgramSocket) passes the contract every
// transport passes, on both real brokers, in the three call styles: wx (tasks), uni (tasks when given
// callbacks) and Taro (Promises of tasks). The platform is fake-platform.ts: the documented call shapes
// over real WebSockets.
import { passwordAedes, passwordMosquitto } from '../../sdk-core/test/contract-brokers.js';
import { transportContract } from '../../sdk-core/test/transport-contract.js';
import { createMiniProgramTransport } from '../src/transport.js';
import { createFakePlatform, type Flavour } from './fake-platform.js';

const flavours: Flavour[] = ['wx', 'uni', 'taro'];

for (const flavour of flavours) {
  transportContract(
    `mini-program ${flavour} on Aedes`,
    createMiniProgramTransport(createFakePlatform(flavour)),
    passwordAedes,
  );
  transportContract(
    `mini-program ${flavour} on Mosquitto`,
    createMiniProgramTransport(createFakePlatform(flavour)),
    passwordMosquitto(),
  );
}
