// A line-oriented bridge to the IAB reference library (@iabgpp/cmpapi), for our tests:
// each stdin line is {"encode": {section: {field: value}}} or {"decode": "DBAB…"};
// each stdout line is {"ok": result} or {"error": message}.
import { createInterface } from "node:readline";
import { GppModel } from "@iabgpp/cmpapi";

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let reply;
  try {
    const request = JSON.parse(line);
    if ("encode" in request) {
      const model = new GppModel();
      for (const [section, fields] of Object.entries(request.encode)) {
        for (const [field, value] of Object.entries(fields)) model.setFieldValue(section, field, value);
      }
      reply = { ok: model.encode() };
    } else {
      reply = { ok: new GppModel(request.decode).toObject() };
    }
  } catch (error) {
    reply = { error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
