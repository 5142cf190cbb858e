// e2e-vectors: reads one JSON request per line on stdin, writes one JSON response per line on stdout.
//
// Request:  {"cmd": "<name>", "id": <optional, echoed>, …command fields…}
// Response: {"id": …, "ok": true, "result": …} or {"id": …, "ok": false, "error": "…"}
//
// Commands live in `Command.all`; pure-encoding ones in EncodingCommands.swift. HSM-backed commands (signing with a
// SoftHSM key) can be added in their own file and registered in `Command.all` the same way.
import Foundation

while let line = readLine(strippingNewline: true) {
    if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
    var response: [String: Any] = [:]
    do {
        guard let request = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw ToolError("a request is a JSON object")
        }
        response["id"] = request["id"] ?? NSNull()
        guard let name = request["cmd"] as? String else { throw ToolError("missing \"cmd\"") }
        guard let command = Command.all[name] else { throw ToolError("unknown command \"\(name)\"") }
        response["result"] = try command(request)
        response["ok"] = true
    } catch {
        response["ok"] = false
        response["error"] = String(describing: error)
    }
    let data = (try? JSONSerialization.data(withJSONObject: response, options: [.sortedKeys]))
        ?? Data(#"{"ok":false,"error":"response not serialisable"}"#.utf8)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}
