// mongosh script run once by the "mongo-init" service of ../docker-compose.yml:
//   mongosh --quiet --host mongo1:27017 --file /init-replica-set.js
// Initiates the replica set rs0 on its first start and waits until it has a primary, then exits 0, so that
// the Kefu servers (depends_on: service_completed_successfully) start against a writable replica set.
// Idempotent: on later starts the set is already initiated and the script only waits for the primary.
/* global rs, db, print, sleep, quit */

const config = {
  _id: 'rs0',
  members: [
    // Host names are the compose service names: the Kefu servers discover the members from this
    // configuration, so these names must resolve from their containers (they do, on the backend network).
    // mongo1 is preferred as primary so that the usual case has a predictable primary.
    { _id: 0, host: 'mongo1:27017', priority: 2 },
    { _id: 1, host: 'mongo2:27017', priority: 1 },
    { _id: 2, host: 'mongo3:27017', priority: 1 },
  ],
};

let initiated = true;
try {
  rs.status();
} catch (err) {
  // NotYetInitialized (code 94) is the only error that means "initiate me"; anything else is a real failure.
  if (err.codeName !== 'NotYetInitialized') throw err;
  initiated = false;
}
if (!initiated) {
  const result = rs.initiate(config);
  print(`rs.initiate: ${JSON.stringify(result)}`);
}

// An election takes a few seconds after initiate (or after a restart of the members).
const deadline = Date.now() + 120_000;
for (;;) {
  const hello = db.hello();
  if (hello.primary) {
    print(`replica set ${hello.setName} ready, primary ${hello.primary}`);
    quit(0);
  }
  if (Date.now() > deadline) {
    print('replica set rs0 has no primary after 120 s');
    quit(1);
  }
  sleep(1000);
}
