import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-running `appliance serve` child: output to files, stopped with SIGTERM, killed if it hangs.
public final class ServedAppliance {
    /// Why the child could not be started or did not come up.
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let process = Process()
    public let errorFile: URL

    public init(appliance: URL, arguments: [String]) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = appliance
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    /// Waits (up to two minutes) until the socket exists, failing early if the process exits.
    public func waitForSocket(_ path: String) throws {
        for _ in 0..<1_200 {
            if FileManager.default.fileExists(atPath: path) { return }
            guard process.isRunning else {
                throw StartFailure(description: "serve exited with \(process.terminationStatus): \(standardError())")
            }
            usleep(100_000)
        }
        throw StartFailure(description: "serve did not create \(path): \(standardError())")
    }

    /// Sends SIGTERM and waits (up to two minutes) for the exit; nil if it did not exit.
    public func terminate() -> (reason: Process.TerminationReason, status: Int32)? {
        process.terminate()
        for _ in 0..<1_200 where process.isRunning { usleep(100_000) }
        guard !process.isRunning else { return nil }
        return (process.terminationReason, process.terminationStatus)
    }

    public func standardError() -> String {
        String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
    }

    /// Kills the process if it is still running and removes the output file.
    public func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: errorFile)
    }
}
