import ArgumentParser
import Foundation
import HSM
import Sandbox

/// A command-line failure: what happened and what to do next, printed as `error: …` and `hint: …` on stderr.
struct CommandFailure: Error {
    /// What happened.
    let message: String
    /// What to do about it.
    let hint: String

    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    /// Runs `body`; on failure prints `error:`/`hint:` lines to stderr and exits with status 1.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CommandFailure {
            StandardError.write("error: \(error.message)\nhint: \(error.hint)\n")
        } catch let error as HSMError {
            StandardError.write("error: \(error.message) [\(error.code.rawValue)]\nhint: \(error.hint)\n")
        } catch let error as SandboxError {
            StandardError.write("error: \(error.message) [\(error.code.rawValue)]\nhint: \(error.hint)\n")
        } catch let error as ExitCode {
            throw error
        } catch {
            StandardError.write("error: \(error)\nhint: re-run with --help to check the command's options\n")
        }
        throw ExitCode(1)
    }
}
