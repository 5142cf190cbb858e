import ArgumentParser
import Foundation

/// `appliance`: the trusted signer's command line.
@main
struct Appliance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appliance",
        abstract: "The Rebalancer signing appliance: checks proposals against policy and signs only through an HSM.",
        discussion: """
            Keys live in a PKCS#11 HSM (SoftHSM2 by default, kept under the state directory) and never leave it.
            Start with `appliance init --state DIR --policy FILE`.
            """,
        subcommands: [InitCommand.self, ServeCommand.self, StatusCommand.self, PolicyCommand.self,
                      KillSwitchCommand.self, AuditCommand.self, BundleCommand.self, BenchCommand.self,
                      SandboxSelftestCommand.self]
    )

    /// Parses and runs the command; usage errors are reported as `error:` and `hint:` lines like every other
    /// failure (help and already-reported failures pass through unchanged).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if error is ExitCode || code == .success {
                exit(withError: error)
            }
            StandardError.write(
                "error: \(message(for: error))\nhint: run `appliance help` or add --help to a command for its usage\n")
            exit(withError: ExitCode(code.rawValue == 0 ? 1 : code.rawValue))
        }
    }
}
