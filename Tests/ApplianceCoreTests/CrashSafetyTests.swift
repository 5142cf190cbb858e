import ApplianceCore
import Foundation
import SigningPolicy
import Testing
import TestSupport
import Wire
import Ethereum

/// Issue 3, acceptance 3: a stream of proposals while the serving appliance is killed with SIGKILL at random
/// moments. After every restart the audit chain verifies, every decision whose response reached the client is in
/// the log exactly as answered, and no nonce was ever signed for two different payloads.
@Suite(.serialized) struct CrashSafetyTests {
    struct Answer {
        var proposalID: String
        var response: DecisionResponse
    }

    @Test func sigkillAtRandomMomentsLosesNoAnsweredDecisionAndNeverReusesANonce() throws {
        let appliance = try #require(BuiltProducts.executable(named: "appliance"), "build the appliance first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state"
        let socket = directory + "/appliance.sock"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let policyFile = directory + "/stress.toml"
        try StressPolicy.text(mode: .keeper).write(toFile: policyFile, atomically: true, encoding: .utf8)
        let initResult = try CommandResult.run(appliance, ["init", "--state", state, "--policy", policyFile])
        try #require(initResult.status == 0, "init failed: \(initResult.standardError)")

        var generator = SystemRandomNumberGenerator()
        var answers: [Answer] = []
        var sent = 0
        var step = 0
        let cycles = 50
        for cycle in 0..<cycles {
            let server = Process()
            server.executableURL = appliance
            server.arguments = ["serve", "--state", state, "--socket", socket]
            server.standardError = FileHandle.nullDevice
            try server.run()
            let killAfter = Double.random(in: 0.05...0.6, using: &generator)
            let started = Date()
            // Send proposals until the server dies under us.
            var client: ApplianceClient?
            while Date().timeIntervalSince(started) < killAfter + 2 {
                if Date().timeIntervalSince(started) >= killAfter, server.isRunning {
                    kill(server.processIdentifier, SIGKILL)
                }
                if !server.isRunning { break }
                do {
                    if client == nil { client = try ApplianceClient(socketPath: socket, timeoutMilliseconds: 5_000) }
                    let allocation = StressPolicy.step(step)
                    var proposal = DemoProposals.rebalance(
                        id: "c\(cycle)-\(sent)", at: Timestamp(seconds: Int64(Date().timeIntervalSince1970)),
                        targets: allocation.targets, reserveBps: allocation.reserveBps)
                    if sent % 5 == 4 { proposal.chainID = 5 }   // some rejections in the stream too
                    sent += 1
                    let response = try client!.send(.propose(proposal))
                    if case .decision(let decision) = response {
                        answers.append(Answer(proposalID: proposal.id, response: decision))
                        if decision.isApproved { step += 1 }
                    }
                } catch {
                    client?.close()
                    client = nil
                    usleep(5_000)
                }
            }
            client?.close()
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
            let verify = try CommandResult.run(appliance, ["audit", "verify", "--state", state])
            #expect(verify.status == 0, "cycle \(cycle): audit verify failed: \(verify.standardOutput) \(verify.standardError)")
        }
        let approvedCount = answers.filter { $0.response.isApproved }.count
        print("crash safety: \(cycles) SIGKILLs, \(sent) proposals sent, \(answers.count) answered "
              + "(\(approvedCount) approved), \(sent - answers.count) unanswered")
        #expect(sent >= 200, "only \(sent) proposals were sent")
        #expect(answers.contains { $0.response.isApproved }, "no approval in the stream")

        // Every answered decision is in the log, at the sequence number and with the hash the client was given.
        let database = try Database(path: StateLayout(directory: state).database)
        let log = try AuditLog(database: database)
        let entries = Dictionary(uniqueKeysWithValues: try log.entries().map { ($0.seq, $0) })
        for answer in answers {
            let entry = try #require(entries[Int64(answer.response.audit.seq)], "decision \(answer.proposalID) lost")
            #expect(entry.hash == answer.response.audit.hash)
            #expect(entry.body.contains("\"proposal_id\":\"\(answer.proposalID)\""))
            #expect(entry.body.contains(answer.response.isApproved ? "\"approved\"" : "\"rejected\""))
        }
        // No nonce signed for two different payloads: among the answers, and in the appliance's own books.
        var payloadByNonce: [UInt64: [UInt8]] = [:]
        for answer in answers {
            guard case .approved(.keeper(let signed)) = answer.response.outcome else { continue }
            if let earlier = payloadByNonce[signed.nonce] {
                #expect(earlier == signed.rawTransaction, "nonce \(signed.nonce) signed twice")
            }
            payloadByNonce[signed.nonce] = signed.rawTransaction
        }
        let state0 = try ApplianceState(database: database)
        let booked = try state0.allApprovals()
        #expect(Set(booked.map(\.nonce)).count == booked.count)
        #expect(booked.map(\.nonce) == Array(0..<UInt64(booked.count)), "nonces are not consecutive")
        for answer in answers {
            guard case .approved(.keeper(let signed)) = answer.response.outcome else { continue }
            let decoded = try SignedEIP1559Transaction(raw: signed.rawTransaction)
            let book = try #require(booked.first { $0.nonce == signed.nonce })
            #expect(book.payloadHash == decoded.transaction.signingHash)
            #expect(book.proposalID == answer.proposalID)
        }
    }
}
