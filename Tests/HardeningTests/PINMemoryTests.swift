import Foundation
import HSM
import Testing

/// The PIN sits in a locked page of its own (never swapped out, left out of core dumps), is zeroed after use,
/// and is read only from a file nobody else can read.
@Suite(.serialized) struct PINMemoryTests {
    /// This process's locked memory in kB (`VmLck` in /proc/self/status).
    static func lockedKilobytes() throws -> Int {
        let status = try processStatus(getpid())
        return Int(status["VmLck"]?.split(separator: " ").first ?? "") ?? -1
    }

    @Test func aPINLocksItsOwnPageWhileItLivesAndReleasesItAfterwards() throws {
        let before = try Self.lockedKilobytes()
        do {
            let pin = try PIN(bytes: Array("a-test-pin".utf8))
            #expect(pin.isMemoryLocked)
            #expect(try Self.lockedKilobytes() >= before + 4)
            pin.wipe()
            #expect(pin.count == 0)
            #expect(pin.withBytes { $0.count } == 0)
        }
        #expect(try Self.lockedKilobytes() == before)
    }

    @Test func aPINFileOthersCanReadIsRefusedWithItsOwnCode() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pin-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("1234\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try PIN(contentsOfFile: path)
            Issue.record("a PIN file readable by others was accepted")
        } catch let error as HSMError {
            #expect(error.code == .pinFileUnsafe)
            #expect(error.message.contains(path))
            #expect(error.hint.contains("chmod 600 \(path)"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try PIN(contentsOfFile: path).count == 4)
    }
}
