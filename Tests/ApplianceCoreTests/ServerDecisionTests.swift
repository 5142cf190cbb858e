import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Testing
import Wire

/// Requests that reach the engine, over a real socket: approvals, rejections, bundle files, status, the kill
/// switch, and failures answered `INTERNAL`.
@Suite struct ServerDecisionTests {
    @Test func approvedSafeProposalIsAnsweredWithItsBundleAndTheBundleFileIsWritten() throws {
        let fixture = try ServerFixture(policy: .safe)
        let client = try fixture.client()
        defer { client.close() }
        let response = try client.send(.propose(ServerFixture.proposal(id: "safe-1")))
        let decision = try #require(response.decision)
        guard case .approved(.safe(let bundle)) = decision.outcome else {
            Issue.record("expected a Safe approval, got \(response)")
            return
        }
        let path = fixture.layout.bundleFile(seq: Int64(decision.audit.seq), proposalID: "safe-1")
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(String(decoding: data, as: UTF8.self) == bundle.serialized() + "\n")
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let directoryMode = try FileManager.default.attributesOfItem(atPath: fixture.layout.bundles)[
            .posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(directoryMode == 0o700)
        // Nothing but the bundle is left in the directory (no temporary files).
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.layout.bundles)
                    == ["\(decision.audit.seq)-safe-1.json"])
    }

    @Test func secondProposalAtOnceIsRejectedWithCooldownActive() throws {
        let fixture = try ServerFixture(policy: .safe)
        let client = try fixture.client()
        defer { client.close() }
        let first = try client.send(.propose(ServerFixture.proposal(id: "first")))
        #expect(first.decision?.isApproved == true)
        let second = try client.send(.propose(ServerFixture.proposal(id: "second", usdc: 3000, reserve: 4500)))
        let decision = try #require(second.decision)
        #expect(!decision.isApproved)
        #expect(decision.reasons.map(\.code.rawValue).contains("COOLDOWN_ACTIVE"))
        // A rejection writes no bundle.
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.layout.bundles)
        #expect(files.count == 1)
    }

    @Test func approvedKeeperProposalIsAnsweredWithASignedTransactionAndWritesNoBundle() throws {
        let fixture = try ServerFixture(policy: .keeper)
        let client = try fixture.client()
        defer { client.close() }
        let response = try client.send(.propose(ServerFixture.proposal(id: "keeper-1")))
        guard case .approved(.keeper(let signed))? = response.decision?.outcome else {
            Issue.record("expected a keeper approval, got \(response)")
            return
        }
        #expect(signed.from == fixture.keeperAddress)
        #expect(signed.nonce == 0)
        #expect(!FileManager.default.fileExists(atPath: fixture.layout.bundles))
    }

    @Test func statusReportsTheSignerPolicyAndAuditHead() throws {
        let fixture = try ServerFixture(policy: .safe)
        let status = try #require(try ApplianceClient.send(.status, socketPath: fixture.socketPath).status)
        #expect(status.mode == .safe)
        #expect(status.signerAddress == fixture.keeperAddress)
        #expect(status.policySHA256 == PolicyDigest.sha256Hex(Array(ServerFixture.demoPolicyText.utf8)))
        #expect(status.killSwitch.engaged == false)
    }

    @Test func engageKillSwitchIsAnsweredWithStatusShowingItEngagedAndBlocksRebalances() throws {
        let fixture = try ServerFixture(policy: .safe)
        let client = try fixture.client()
        defer { client.close() }
        let status = try #require(try client.send(.engageKillSwitch(reason: "exploit drill")).status)
        #expect(status.killSwitch.engaged)
        #expect(status.killSwitch.reason == "exploit drill")
        let decision = try #require(try client.send(.propose(ServerFixture.proposal(id: "after-kill"))).decision)
        #expect(decision.reasons.map(\.code.rawValue).contains("KILL_SWITCH_ENGAGED"))
        let entry = try #require(try fixture.auditEntries(kind: "kill_switch_engaged").first)
        #expect(entry.body.contains("socket uid \(getuid())"))
    }

    @Test func requestWithNoPolicyInstalledIsAnsweredInternalAndTheConnectionStaysOpen() throws {
        let fixture = try ServerFixture(policy: .none)
        let client = try fixture.client()
        defer { client.close() }
        #expect(try client.send(.propose(ServerFixture.proposal(id: "no-policy"))).errorCode == .internal)
        #expect(try client.send(.status).errorCode == .internal)
        try ServerFixture.install(ServerFixture.demoPolicyText, into: ApplianceState(
            database: Database(path: fixture.layout.database)))
        #expect(try client.send(.status).status != nil)
    }

    @Test func approvalThatCannotBeSignedIsAnsweredInternalAndReleasesNothing() throws {
        let fixture = try ServerFixture(policy: .keeper, keeper: FailingSigner())
        let client = try fixture.client()
        defer { client.close() }
        let response = try client.send(.propose(ServerFixture.proposal(id: "unsignable")))
        #expect(response.errorCode == .internal)
        #expect(try fixture.auditEntries(kind: "signing_failed").count == 1)
        #expect(try client.send(.status).status?.nextNonce == 0)
    }

    @Test func responseTooLargeForAFrameIsReplacedByInternal() throws {
        let huge = Response.error(ErrorResponse(code: .invalidField, message: String(repeating: "x", count: 70_000)))
        let frame = ServerResponseFrame(huge)
        #expect(frame.wasOversized)
        #expect(frame.originalPayloadLength > Frame.maxPayloadLength)
        var decoder = FrameDecoder()
        guard case .frame(let payload)? = decoder.feed(frame.bytes).first else {
            Issue.record("the replacement is not one frame")
            return
        }
        #expect(try Response.decode(payload).errorCode == .internal)
        #expect(decoder.isAtFrameBoundary)
    }

    @Test func responseThatFitsIsSentUnchanged() throws {
        let status = Response.error(ErrorResponse(code: .busy, message: "retry"))
        let frame = ServerResponseFrame(status)
        #expect(!frame.wasOversized)
        #expect(frame.bytes == Frame.encode(status.encoded()))
    }
}

/// A keeper key whose HSM always fails: signing errors must never release anything.
struct FailingSigner: DigestSigner {
    let address = try! Address(hex: "0x000000000000000000000000000000000000dEaD")
    func sign(digest: [UInt8]) throws -> EthereumSignature {
        throw HSMError(.pkcs11Failure, "the test HSM refuses to sign", hint: "none")
    }
}
