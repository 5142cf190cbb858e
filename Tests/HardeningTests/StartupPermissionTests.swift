import Foundation
import TestSupport
import Testing

/// Issue 7, acceptance 2: the appliance refuses to start when its state directory, configuration, database,
/// SoftHSM configuration, policy or PIN belongs to another user or is writable by group or others (the PIN and
/// the state directory: any group or other access), and names the path and the fix.
@Suite(.serialized) struct StartupPermissionTests {
    /// One unsafe change to a fresh state, what the refusal must say, and how to undo the change.
    struct UnsafeCase: CustomStringConvertible, Sendable {
        let description: String
        /// The path inside the state directory ("" for the directory itself).
        let relative: String
        let mode: mode_t?
        let owner: uid_t?
        let expected: [String]
    }

    static let otherUser: uid_t = 4242

    static let serveCases: [UnsafeCase] = [
        UnsafeCase(description: "state directory writable by its group", relative: "", mode: 0o770,
                   owner: nil, expected: ["the state directory", "accessible to group or others", "chmod 700"]),
        UnsafeCase(description: "state directory readable by others", relative: "", mode: 0o705,
                   owner: nil, expected: ["the state directory", "mode 705", "chmod 700"]),
        UnsafeCase(description: "state directory owned by another user", relative: "", mode: nil,
                   owner: otherUser, expected: ["the state directory", "owned by uid 4242", "chown"]),
        UnsafeCase(description: "configuration writable by others", relative: "/appliance.json",
                   mode: 0o606, owner: nil,
                   expected: ["the appliance configuration", "writable by group or others", "chmod go-w"]),
        UnsafeCase(description: "configuration owned by another user", relative: "/appliance.json",
                   mode: nil, owner: otherUser, expected: ["the appliance configuration", "owned by uid 4242"]),
        UnsafeCase(description: "database writable by its group", relative: "/appliance.sqlite",
                   mode: 0o660, owner: nil, expected: ["the appliance database", "writable by group or others"]),
        UnsafeCase(description: "database owned by another user", relative: "/appliance.sqlite",
                   mode: nil, owner: otherUser, expected: ["the appliance database", "owned by uid 4242"]),
        UnsafeCase(description: "SoftHSM configuration writable by others",
                   relative: "/softhsm/softhsm2.conf", mode: 0o646, owner: nil,
                   expected: ["the SoftHSM configuration", "chmod go-w"]),
        UnsafeCase(description: "PIN file readable by its group", relative: "/pin", mode: 0o640,
                   owner: nil, expected: ["the PIN file", "accessible to group or others", "chmod 600",
                                          "HSM_PIN_FILE_UNSAFE"]),
        UnsafeCase(description: "PIN file readable by others", relative: "/pin", mode: 0o604,
                   owner: nil, expected: ["the PIN file", "chmod 600"]),
        UnsafeCase(description: "PIN file owned by another user", relative: "/pin", mode: nil,
                   owner: otherUser, expected: ["the PIN file", "owned by uid 4242"]),
    ]

    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func serveRefusesEachUnsafeOwnershipOrModeAndStartsOnceItIsUndone() throws {
        let dir = try HardenedState()
        defer { dir.remove() }
        for unsafe in Self.serveCases {
            let path = dir.state + unsafe.relative
            var before = stat()
            try #require(stat(path, &before) == 0, "\(path) is missing; the case \(unsafe) is out of date")
            if let mode = unsafe.mode { try #require(chmod(path, mode) == 0) }
            if let owner = unsafe.owner { try #require(chown(path, owner, before.st_gid) == 0) }
            let result = try dir.run(["serve", "--state", dir.state, "--socket", dir.socket])
            #expect(result.status == 1, "\(unsafe): exit \(result.status)")
            #expect(result.standardError.contains("error: "), "\(unsafe.description)")
            #expect(result.standardError.contains(path),
                    "\(unsafe): the error does not name \(path): \(result.standardError)")
            for text in unsafe.expected {
                #expect(result.standardError.contains(text), "\(unsafe): no \"\(text)\" in \(result.standardError)")
            }
            #expect(!FileManager.default.fileExists(atPath: dir.socket), "\(unsafe): it listened anyway")
            // Undo, so the next case starts from a state that serves.
            _ = chown(path, before.st_uid, before.st_gid)
            _ = chmod(path, before.st_mode & 0o7777)
        }
        // The control: the same state, every change undone, serves.
        let server = try dir.serve()
        defer { server.kill() }
        #expect(server.terminate()?.status == 0)
    }

    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func initRefusesAPolicyFileOthersCouldHaveWrittenOrAnotherUserOwns() throws {
        let appliance = try #require(HardenedState.appliance)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rb-perm-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let policy = root + "/policy.toml"
        try FileManager.default.copyItem(atPath: HardenedState.demoPolicy, toPath: policy)

        try #require(chmod(policy, 0o664) == 0)
        let writable = try CommandResult.run(appliance, ["init", "--state", root + "/a", "--policy", policy])
        #expect(writable.status == 1)
        #expect(writable.standardError.contains("the policy file \(policy) is writable by group or others"))
        #expect(writable.standardError.contains("hint: run `chmod go-w \(policy)`"))
        #expect(!FileManager.default.fileExists(atPath: root + "/a"), "init created state despite refusing")

        try #require(chmod(policy, 0o644) == 0 && chown(policy, Self.otherUser, getgid()) == 0)
        let foreign = try CommandResult.run(appliance, ["init", "--state", root + "/b", "--policy", policy])
        #expect(foreign.status == 1)
        #expect(foreign.standardError.contains("the policy file \(policy) is owned by uid 4242"))

        // A state directory another user owns is refused by init as well.
        try #require(chown(policy, getuid(), getgid()) == 0)
        try #require(mkdir(root + "/c", 0o700) == 0 && chown(root + "/c", Self.otherUser, getgid()) == 0)
        let foreignState = try CommandResult.run(appliance, ["init", "--state", root + "/c", "--policy", policy])
        #expect(foreignState.status == 1)
        #expect(foreignState.standardError.contains("the state directory \(root)/c is owned by uid 4242"))

        // The control: the same policy file, owned and mode 0644, is accepted.
        let accepted = try CommandResult.run(appliance, ["init", "--state", root + "/d", "--policy", policy])
        #expect(accepted.status == 0, "\(accepted.standardError)")
    }

    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func serveReadsThePINFromASystemdCredentialAndChecksItToo() throws {
        let dir = try HardenedState()
        defer { dir.remove() }
        let credentials = dir.root + "/credentials"
        try #require(mkdir(credentials, 0o700) == 0)
        // The PIN moves out of the state directory, as hardening/README.md installs it.
        try #require(rename(dir.state + "/pin", credentials + "/pin") == 0)
        try #require(chmod(credentials + "/pin", 0o400) == 0)
        var environment = ProcessInfo.processInfo.environment
        environment["CREDENTIALS_DIRECTORY"] = credentials

        let withoutCredential = try dir.run(["serve", "--state", dir.state, "--socket", dir.socket])
        #expect(withoutCredential.status == 1)
        #expect(withoutCredential.standardError.contains("cannot read the PIN file \(dir.state)/pin"))

        var unset = environment
        unset["CREDENTIALS_DIRECTORY"] = nil
        let noDirectory = try dir.run(["serve", "--state", dir.state, "--socket", dir.socket,
                                       "--pin-credential", "pin"], environment: unset)
        #expect(noDirectory.status == 1)
        #expect(noDirectory.standardError.contains("needs $CREDENTIALS_DIRECTORY"))

        try #require(chmod(credentials + "/pin", 0o444) == 0)
        let exposed = try dir.run(["serve", "--state", dir.state, "--socket", dir.socket,
                                   "--pin-credential", "pin"], environment: environment)
        #expect(exposed.status == 1)
        #expect(exposed.standardError.contains("the PIN file \(credentials)/pin is accessible to group or others"))

        let path = try dir.run(["serve", "--state", dir.state, "--socket", dir.socket,
                                "--pin-credential", "../pin"], environment: environment)
        #expect(path.status != 0)
        #expect(path.standardError.contains("credential name"))

        try #require(chmod(credentials + "/pin", 0o400) == 0)
        // Through env(1), which execs the appliance in place: the server's pid stays the appliance's.
        let server = try ServedAppliance(appliance: URL(fileURLWithPath: "/usr/bin/env"), arguments: [
            "CREDENTIALS_DIRECTORY=\(credentials)", dir.appliance.path,
            "serve", "--state", dir.state, "--socket", dir.socket, "--pin-credential", "pin",
        ])
        defer { server.kill() }
        try server.waitForSocket(dir.socket)
        let stopped = server.stopAndDescribe()
        #expect(stopped.status == 0, "\(stopped.threads) \(server.standardError())")
    }
}
