// A local SMTP server and SMS gateway for the end-to-end run (ORD-5): the shop
// sends its real e-mails and SMS here, and tests read them back from
// GET /messages. Usage: node message-sink.mjs <smtp-port> <http-port>
import { createServer as createTcpServer } from "node:net";
import { createServer as createHttpServer } from "node:http";

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
const emails = [];
const sms = [];

createTcpServer((socket) => {
  socket.setEncoding("utf8");
  let buffer = "";
  let inData = false;
  let data = [];
  const reply = (line) => socket.write(line + "\r\n");
  reply("220 sink ESMTP");
  socket.on("data", (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (inData) {
        if (line === ".") {
          inData = false;
          const raw = data.join("\n");
          const header = (name) => (raw.match(new RegExp(`^${name}: (.*)$`, "mi")) ?? [])[1] ?? "";
          emails.push({ to: header("To"), subject: header("Subject"), messageId: header("Message-ID"), raw });
          data = [];
          reply("250 queued");
        } else {
          data.push(line.startsWith("..") ? line.slice(1) : line);
        }
        continue;
      }
      const verb = line.split(" ")[0].toUpperCase();
      if (verb === "EHLO" || verb === "HELO") reply("250 sink");
      else if (verb === "DATA") { inData = true; reply("354 go ahead"); }
      else if (verb === "QUIT") { reply("221 bye"); socket.end(); }
      else if (["MAIL", "RCPT", "RSET", "NOOP"].includes(verb)) reply("250 OK");
      else reply("502 unknown");
    }
  });
  socket.on("error", () => {});
}).listen(smtpPort, "127.0.0.1");

createHttpServer((req, res) => {
  if (req.method === "POST" && req.url === "/sms") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      sms.push({ key: req.headers["idempotency-key"] ?? "", ...JSON.parse(body || "{}") });
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"queued"}');
    });
    return;
  }
  if (req.method === "GET" && req.url === "/messages") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ emails, sms }));
    return;
  }
  res.writeHead(404).end();
}).listen(httpPort, "127.0.0.1", () => console.log(`message sink: smtp ${smtpPort}, http ${httpPort}`));
