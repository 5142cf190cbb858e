import Foundation
import HSM
import Testing
import TestSupport

@Suite("HSM errors")
struct HSMErrorTests {
    private func expectError(_ code: HSMError.Code, hintMentions hint: String, messageMentions message: String,
                             _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected \(code.rawValue), got success", sourceLocation: sourceLocation)
        } catch let error as HSMError {
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect(error.message.contains(message), "message: \(error.message)", sourceLocation: sourceLocation)
            #expect(error.hint.contains(hint), "hint: \(error.hint)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected HSMError \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func missingModuleNamesThePathAndSaysToInstallSoftHSM() {
        expectError(.moduleNotFound, hintMentions: "--hsm-module", messageMentions: "/nonexistent/libpkcs11.so") {
            _ = try PKCS11Module.load(path: "/nonexistent/libpkcs11.so")
        }
    }

    @Test func fileThatIsNotAModuleIsUnloadable() throws {
        let path = TestHSMEnvironment.directory + "/not-a-module-\(UUID().uuidString).so"
        try FileManager.default.createDirectory(atPath: TestHSMEnvironment.directory,
                                                withIntermediateDirectories: true)
        try Data("not an ELF file".utf8).write(to: URL(fileURLWithPath: path))
        expectError(.moduleUnloadable, hintMentions: "install softhsm2", messageMentions: path) {
            _ = try PKCS11Module.load(path: path)
        }
    }

    @Test func missingTokenNamesTheLabelAndSaysToRunInit() throws {
        let module = try TestHSMEnvironment.module()
        expectError(.tokenNotFound, hintMentions: "appliance init", messageMentions: "no-such-token") {
            _ = try HSMToken.find(label: "no-such-token", in: module)
        }
    }

    @Test func unknownKeyLabelNamesTheKeyAndToken() throws {
        let token = try ThrowawayToken.shared()
        expectError(.keyNotFound, hintMentions: "appliance init", messageMentions: "no key labelled \"treasury\"") {
            _ = try token.pool.findKey(label: "treasury")
        }
    }

    @Test func wrongPINIsRejectedWithAPINError() throws {
        let fresh = try ThrowawayToken.make()
        // Logged in already in this process: the pool checks the PIN itself.
        expectError(.pinIncorrect, hintMentions: "PIN file", messageMentions: "PIN") {
            _ = try fresh.token.login(pin: PIN(bytes: Array("wrong-pin".utf8)))
        }
        // A token never logged into in this process: the token itself answers CKR_PIN_INCORRECT.
        let module = try TestHSMEnvironment.module()
        let label = "wrongpin-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        let token = try HSMToken.initialise(
            label: label, soPIN: PIN(bytes: Array("so-secret".utf8)), userPIN: PIN(bytes: Array("right-pin".utf8)),
            in: module)
        expectError(.pinIncorrect, hintMentions: "PIN file", messageMentions: "CKR_PIN_INCORRECT") {
            _ = try token.login(pin: PIN(bytes: Array("wrong-pin".utf8)))
        }
        // And the right PIN still works afterwards.
        #expect(throws: Never.self) { _ = try token.login(pin: PIN(bytes: Array("right-pin".utf8))) }
    }

    @Test func missingPINFileNamesTheFileAndTheOption() {
        expectError(.pinFileUnreadable, hintMentions: "--pin-file", messageMentions: "/nonexistent/pin") {
            _ = try PIN(contentsOfFile: "/nonexistent/pin")
        }
    }

    @Test func pinFileLosesExactlyOneTrailingNewline() throws {
        try FileManager.default.createDirectory(atPath: TestHSMEnvironment.directory,
                                                withIntermediateDirectories: true)
        let path = TestHSMEnvironment.directory + "/pin-\(UUID().uuidString)"
        try Data("1234\n\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let pin = try PIN(contentsOfFile: path)
        #expect(pin.withBytes { Array($0) } == Array("1234\n".utf8))
        pin.wipe()
        #expect(pin.count == 0)
        try Data("\n".utf8).write(to: URL(fileURLWithPath: path))
        expectError(.pinEmpty, hintMentions: path, messageMentions: "empty") {
            _ = try PIN(contentsOfFile: path)
        }
    }

    @Test func errorCodesAreDistinctAndStable() {
        let codes = HSMError.Code.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(HSMError.Code.pinIncorrect.rawValue == "HSM_PIN_INCORRECT")
    }
}
