import ArgumentParser
import Foundation
import SigningPolicy
import Wire
import Ethereum

/// `planner propose`: send one proposal to the appliance and print its decision.
struct ProposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Send one proposal to the appliance and print its decision.",
        discussion: """
            FILE holds a proposal as DESIGN.md's wire protocol shows it: the proposal object itself or a whole
            {"type": "propose", "proposal": {…}} request. It is checked strictly before it is sent.

            Exit status: 0 approved, 3 rejected, 1 for any error (the appliance's `error` frame included).

            Example:
              planner propose --socket /run/rebalancer/appliance.sock --file p.json --created-now --id p-$(date +%s)
            """)

    @Option(help: ArgumentHelp("The appliance's Unix socket.", valueName: "PATH"))
    var socket: String

    @Option(help: ArgumentHelp("The proposal (JSON); - reads standard input.", valueName: "FILE"))
    var file: String

    @Option(help: ArgumentHelp("Replace the proposal's id.", valueName: "ID"))
    var id: String?

    @Flag(help: "Set created_at to the current time (proposals older than the policy's max_age are rejected).")
    var createdNow = false

    @Flag(help: "Print the appliance's response as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Seconds to wait for the decision.", valueName: "S"))
    var timeout: Double = 30

    func run() throws {
        var proposal = readProposal()
        if let id { proposal.id = id }
        if createdNow { proposal.createdAt = Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }
        let response: Response
        do {
            response = try ApplianceClient.send(.propose(proposal), socketPath: socket,
                                                timeoutMilliseconds: Int32(max(0.001, min(timeout, 3_600)) * 1_000))
        } catch {
            PlannerFailure(error.message, hint: "is `appliance serve --socket \(socket)` running, and may this user "
                           + "connect to it (--planner-uid)?").exit()
        }
        if json { print(response.jsonValue.serialized()) }
        switch response {
        case .decision(let decision):
            if !json { print(Self.describe(decision)) }
            if !decision.isApproved { throw ExitCode(3) }
        case .error(let error):
            PlannerFailure("the appliance answered \(error.code.rawValue): \(error.message)",
                           hint: "fix the proposal; the appliance's error codes are listed in DESIGN.md").exit()
        case .status:
            PlannerFailure("the appliance answered a proposal with a status", hint: "check the appliance version")
                .exit()
        }
    }

    private func readProposal() -> Proposal {
        let bytes: [UInt8]
        if file == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else if let data = FileManager.default.contents(atPath: file) {
            bytes = Array(data)
        } else {
            PlannerFailure("cannot read the proposal file \(file)", hint: "pass --file with a readable JSON file").exit()
        }
        do {
            let value = try JSONParser.parse(bytes)
            if value["type"] != nil, case .propose(let proposal) = try Request.decode(json: value) { return proposal }
            return try Proposal(json: value)
        } catch {
            PlannerFailure("\(file): \(error.code.rawValue): \(error.message)",
                           hint: "the proposal must match DESIGN.md's wire format exactly").exit()
        }
    }

    static func describe(_ decision: DecisionResponse) -> String {
        var lines = ["proposal \(decision.proposalID): \(decision.isApproved ? "APPROVED" : "REJECTED") "
                     + "(audit #\(decision.audit.seq))"]
        for reason in decision.reasons {
            lines.append("  \(reason.code.rawValue) [\(reason.rule)] \(reason.message)")
        }
        if case .approved(let signed) = decision.outcome {
            switch signed {
            case .keeper(let k):
                lines.append("  keeper transaction \(Hex.encode(k.transactionHash)) nonce \(k.nonce) from \(k.from)")
                lines.append("  raw \(Hex.encode(k.rawTransaction))")
            case .safe(let bundle):
                let hash: String
                if case .string(let s)? = bundle["safe_tx_hash"] { hash = s } else { hash = "?" }
                lines.append("  Safe bundle, SafeTx hash \(hash)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
