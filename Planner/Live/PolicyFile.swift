import Crypto
import Ethereum
import Foundation
import SigningPolicy

/// The planner's copy of the appliance's policy file: the loaded policy and the file's SHA-256, which must
/// equal the `policy_sha256` the appliance reports before the planner trusts its own pre-checks.
public struct PolicyFile: Sendable {
    public let policy: SigningPolicy
    public let sha256: String

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LiveError(.noData, "cannot read the policy file \(path)")
        }
        do {
            policy = try SigningPolicy.load(toml: String(decoding: data, as: UTF8.self))
        } catch {
            throw LiveError(.noData, "\(path) is not a valid policy: \(error)")
        }
        sha256 = Hex.encode(Array(SHA256.hash(data: data)), prefix: false)
    }
}
