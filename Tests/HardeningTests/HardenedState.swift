import Foundation
import TestSupport

/// A throwaway appliance: `appliance init` with the demo policy in a fresh temporary directory.
struct HardenedState {
    static var appliance: URL? { BuiltProducts.executable(named: "appliance") }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL.path
    static var demoPolicy: String { repository + "/policy/demo.toml" }

    let appliance: URL
    let root: String
    var state: String { root + "/state" }
    var socket: String { root + "/s.sock" }

    /// Runs `appliance init --state ROOT/state --policy FILE` (FILE defaults to policy/demo.toml).
    init(policy: String = HardenedState.demoPolicy, parent: String = "/tmp") throws {
        guard let appliance = HardenedState.appliance else { throw TestFailure("build the appliance first") }
        self.appliance = appliance
        var template = Array("\(parent)/rb-hard-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp in \(parent) failed") }
        root = String(cString: made)
        let result = try CommandResult.run(appliance, ["init", "--state", state, "--policy", policy])
        guard result.status == 0 else { throw TestFailure("init failed: \(result.standardError)") }
    }

    /// `appliance ARGUMENTS…`, waited for.
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> CommandResult {
        try CommandResult.run(appliance, arguments, environment: environment)
    }

    /// `appliance serve` on this state, waited for until its socket exists.
    func serve(_ extra: [String] = []) throws -> ServedAppliance {
        let server = try ServedAppliance(appliance: appliance,
                                         arguments: ["serve", "--state", state, "--socket", socket] + extra)
        do { try server.waitForSocket(socket) } catch {
            server.kill()
            throw error
        }
        return server
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

extension ServedAppliance {
    /// Waits (up to a minute) until the server's stderr contains `text`: the socket exists a moment before the
    /// start-up line is written.
    func waitForLog(_ text: String) -> Bool {
        for _ in 0..<600 {
            if standardError().contains(text) { return true }
            usleep(100_000)
        }
        return false
    }
}

/// A test precondition that failed, with what to look at.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The `Key:\tvalue` lines of `/proc/<pid>/status`.
func processStatus(_ pid: Int32) throws -> [String: String] {
    let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return fields
}

extension HardenedState {
    /// A fresh private temporary directory.
    static func scratchDirectory() throws -> String {
        var template = Array("/tmp/rb-scratch-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        return String(cString: made)
    }
}

extension ServedAppliance {
    /// Sends SIGTERM and waits for the exit status; if the appliance has not exited after two minutes, nil and
    /// what each of its threads is blocked in (name, kernel wait channel, system call number), for the failure
    /// message.
    func stopAndDescribe() -> (status: Int32?, threads: String) {
        let pid = process.processIdentifier
        if let exit = terminate() { return (exit.status, "") }
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let threads = tasks.sorted().map { task -> String in
            let base = "/proc/\(pid)/task/\(task)/"
            func read(_ name: String) -> String {
                ((try? String(contentsOfFile: base + name, encoding: .utf8)) ?? "?")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let call = read("syscall").split(separator: " ").first.map(String.init) ?? "?"
            return "\(task) \(read("comm")) wchan=\(read("wchan")) syscall=\(call)"
        }
        return (nil, "still running after SIGTERM; threads: " + threads.joined(separator: "; "))
    }
}
