import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

/// Reading what the governance, audit and bundle commands are given: files, key files, signature lists, the
/// state database; and turning library errors into `error:`/`hint:` failures.
enum PolicyInputs {
    /// The wall clock, in whole seconds.
    static func now() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))) }

    /// The exact bytes of `path`.
    static func bytes(of path: String, what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(what) \(path)", hint: "check the path and that the file is readable")
        }
        return Array(data)
    }

    /// A private key from a key file: 64 hex digits (optional 0x, surrounding whitespace ignored). The file must
    /// not be readable by group or others.
    static func privateKey(file path: String) throws -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CommandFailure("cannot read the key file \(path)", hint: "pass --key-file with a file holding a hex private key")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw CommandFailure("the key file \(path) is readable by group or others",
                                 hint: "run `chmod 600 \(path)`")
        }
        let text = String(decoding: try bytes(of: path, what: "the key file"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = try? Hex.decode(text), key.count == 32 else {
            throw CommandFailure("the key file \(path) does not hold a 32-byte hex private key",
                                 hint: "write the key as 64 hex digits, optionally prefixed with 0x")
        }
        return key
    }

    /// Signatures from `--signature` values and a `--signatures` file (one per line: hex, or a JSON object with
    /// a "signature" key as `policy sign` and `killswitch sign-release` print; blank lines and # comments skipped).
    static func signatures(_ given: [String], file: String?) throws -> [String] {
        var out = given
        guard let file else { return out }
        let text = String(decoding: try bytes(of: file, what: "the signatures file"), as: UTF8.self)
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("{") {
                guard let json = try? JSONParser.parse(Array(line.utf8)), case .string(let sig)? = json["signature"]
                else {
                    throw CommandFailure("\(file):\(number + 1) is a JSON line without a \"signature\" string",
                                         hint: "keep each line as printed by `appliance policy sign`, or a bare hex signature")
                }
                out.append(sig)
            } else {
                out.append(line)
            }
        }
        return out
    }

    /// The state database of an initialised state directory (never creates one).
    static func database(state: String) throws -> StateLayout {
        let layout = StateLayout(directory: StateDirectory(state).path)
        guard FileManager.default.fileExists(atPath: layout.database) else {
            throw CommandFailure("\(layout.directory) holds no appliance state (no appliance.sqlite)",
                                 hint: "run `appliance init --state \(state) --policy FILE` first, or check --state")
        }
        return layout
    }

    /// Governance on the state database, with the wall clock.
    static func governance(state: String) throws -> Governance {
        let layout = try database(state: state)
        do { return try Governance(databasePath: layout.database, clock: now) } catch {
            throw CommandFailure("cannot open \(layout.database): \(error)",
                                 hint: "check the state directory is readable and writable by this user")
        }
    }

    /// Runs `body`, turning governance and policy errors into `error:`/`hint:` failures.
    static func governed<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as GovernanceError {
            throw CommandFailure("\(error.message) [\(error.code.rawValue)]", hint: error.hint)
        } catch let error as PolicyLoadError {
            let key = error.keyPath.isEmpty ? "" : "\(error.keyPath): "
            let place = error.position.map { " (\($0))" } ?? ""
            throw CommandFailure("\(key)\(error.message)\(place) [\(error.code.rawValue)]", hint: error.hint)
        }
    }

    /// Prints one JSON value as one line.
    static func printJSON(_ value: JSONValue) { print(value.serialized()) }
}
