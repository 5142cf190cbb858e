import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import Wire

/// `appliance status`: asks a running appliance for its state over its socket.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running appliance's state: policy, mode, signer, kill switch, nonce, budgets, audit head.",
        discussion: "With --json, prints the appliance's status object exactly as it sent it."
    )

    @Option(name: .long, help: ArgumentHelp("The appliance's Unix socket.", valueName: "PATH"))
    var socket: String

    @Flag(name: .long, help: "Print the status as a JSON object.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for the answer.", valueName: "S"))
    var timeout: Double = 10

    func run() throws {
        try CommandFailure.reporting {
            let status = try requestStatus()
            print(json ? status.jsonValue.serialized() : StatusCommand.summary(status))
        }
    }

    private func requestStatus() throws -> StatusResponse {
        let response: Response
        do {
            response = try ApplianceClient.send(.status, socketPath: socket,
                                                timeoutMilliseconds: ServerLimits.milliseconds(seconds: timeout))
        } catch {
            throw CommandFailure(
                "cannot get the status from \(socket): \(error.message)",
                hint: error.code == .connect
                    ? "start the appliance with `appliance serve --state DIR --socket \(socket)`, or check the path"
                    : "the appliance may be overloaded or stopping; check its log and retry")
        }
        switch response {
        case .status(let status):
            return status
        case .error(let error):
            throw CommandFailure(
                "the appliance refused the request: \(error.code.rawValue): \(error.message)",
                hint: error.code == .peerNotAllowed
                    ? "run this as the appliance's user, or add your uid with `appliance serve --planner-uid`"
                    : "check the appliance's log")
        case .decision:
            throw CommandFailure("the appliance answered status with a decision",
                                 hint: "check that \(socket) is the appliance's socket")
        }
    }

    /// The status for a person, one fact per line.
    static func summary(_ s: StatusResponse) -> String {
        let kill: String
        if s.killSwitch.engaged {
            let since = s.killSwitch.since.map { " since \($0.rfc3339)" } ?? ""
            kill = "ENGAGED\(since): \(s.killSwitch.reason ?? "no reason given")"
        } else {
            kill = "released"
        }
        return """
            mode:           \(s.mode.rawValue)
            signer:         \(s.signerAddress.checksummed)
            policy sha256:  \(s.policySHA256)
            kill switch:    \(kill)
            next nonce:     \(s.nextNonce)
            last rebalance: \(s.lastRebalanceAt?.rfc3339 ?? "never")
            last 24 h:      \(s.rebalances24h) rebalance(s), turnover \(s.turnover24hBps) bps
            audit head:     seq \(s.audit.seq), \(Hex.encode(s.audit.hash))
            """
    }
}
