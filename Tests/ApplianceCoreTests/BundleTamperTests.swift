import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Testing
import TestSupport
import Wire

/// Acceptance 5 (Swift side): `bundle verify` rejects a bundle with any single field changed.
@Suite("Bundle tampering")
struct BundleTamperTests {
    enum Step: Hashable, CustomStringConvertible {
        case key(String)
        case index(Int)
        var description: String {
            switch self {
            case .key(let k): ".\(k)"
            case .index(let i): "[\(i)]"
            }
        }
    }

    /// A real approved Safe-mode bundle with previous targets (the second approval of a demo engine).
    static let bundle: Result<JSONValue, any Error> = Result {
        let f = try EngineFixture()
        defer { f.remove() }
        _ = f.engine.submit(.propose(DemoProposals.rebalance(id: "b0", at: f.clock.now, step: 0)))
        f.clock.advance(by: Duration(seconds: 7 * 3_600))
        guard case .decision(_, let bundle?) = f.engine.submit(.propose(
            DemoProposals.rebalance(id: "b1", at: f.clock.now, step: 1)))
        else { throw EngineFailure("the second proposal was not approved with a bundle") }
        return bundle.json
    }

    /// Every leaf's path.
    static func leaves(_ value: JSONValue, _ path: [Step] = []) -> [[Step]] {
        switch value {
        case .object(let members): members.flatMap { leaves($0.value, path + [.key($0.key)]) }
        case .array(let items): items.enumerated().flatMap { leaves($1, path + [.index($0)]) }
        default: [path]
        }
    }

    /// Every object member's and array element's path (for removals).
    static func containers(_ value: JSONValue, _ path: [Step] = []) -> [[Step]] {
        switch value {
        case .object(let members):
            members.flatMap { [path + [.key($0.key)]] + containers($0.value, path + [.key($0.key)]) }
        case .array(let items):
            items.enumerated().flatMap { [path + [.index($0)]] + containers($1, path + [.index($0)]) }
        default: []
        }
    }

    /// `value` with the node at `path` replaced by `transform(node)` (nil removes it).
    static func editing(_ value: JSONValue, at path: [Step], _ transform: (JSONValue) -> JSONValue?) -> JSONValue {
        guard let first = path.first else { return transform(value) ?? .null }
        let rest = Array(path.dropFirst())
        switch (value, first) {
        case (.object(let members), .key(let key)):
            return .object(members.compactMap { member in
                guard member.key == key else { return member }
                if rest.isEmpty, transform(member.value) == nil { return nil }
                return JSONValue.Member(member.key, editing(member.value, at: rest, transform))
            })
        case (.array(var items), .index(let i)):
            if rest.isEmpty, transform(items[i]) == nil {
                items.remove(at: i)
            } else {
                items[i] = editing(items[i], at: rest, transform)
            }
            return .array(items)
        default:
            return value
        }
    }

    /// Another valid-looking value of the same kind.
    static func changed(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            if let address = try? Address(hex: s), s.count == 42 {
                var bytes = address.bytes
                bytes[19] ^= 0x01
                return .string((try? Address(bytes: bytes))?.checksummed ?? s + "0")
            }
            if let time = Timestamp(rfc3339: s) { return .string((time + Duration(seconds: 1)).rfc3339) }
            if s.hasPrefix("0x"), s.count > 2 {
                let last = s.last!
                return .string(String(s.dropLast()) + (last == "0" ? "1" : "0"))
            }
            if !s.isEmpty, s.allSatisfy(\.isNumber), let n = UInt64(s) { return .string(String(n + 1)) }
            if s.count == 64, s.allSatisfy(\.isHexDigit) {
                return .string(String(s.dropLast()) + (s.last == "0" ? "1" : "0"))
            }
            return .string(s + "x")
        case .number(let n): return .integer(Int(n.int64Value ?? 0) + 1)
        case .bool(let b): return .bool(!b)
        case .null: return .string("null")
        default: return value
        }
    }

    @Test func originalBundleVerifies() throws {
        let json = try Self.bundle.get()
        let verified = try BundleVerifier.verify(json.serializedBytes())
        #expect(verified.safe == (try Address(hex: "0xAe745AC7a64b948AB551b1663a46c10d3463Cf8b")))
        guard case .array(let previous)? = json["decoded"]?["previous_targets"] else {
            Issue.record("no previous_targets")
            return
        }
        #expect(!previous.isEmpty)
    }

    @Test func bundleWithAnySingleFieldChangedFailsVerification() throws {
        let json = try Self.bundle.get()
        let leaves = Self.leaves(json)
        #expect(leaves.count > 40)
        var accepted: [String] = []
        for path in leaves {
            let tampered = Self.editing(json, at: path) { Self.changed($0) }
            #expect(tampered != json, "no change at \(path)")
            if (try? BundleVerifier.verify(tampered.serializedBytes())) != nil {
                accepted.append(path.map(\.description).joined())
            }
        }
        #expect(accepted.isEmpty, "changed fields still verify: \(accepted)")
    }

    @Test func bundleWithAnyKeyOrElementRemovedFailsVerification() throws {
        let json = try Self.bundle.get()
        var accepted: [String] = []
        let paths = Self.containers(json)
        #expect(paths.count > 40)
        for path in paths {
            let tampered = Self.editing(json, at: path) { _ in nil }
            if (try? BundleVerifier.verify(tampered.serializedBytes())) != nil {
                accepted.append(path.map(\.description).joined())
            }
        }
        #expect(accepted.isEmpty, "removals still verify: \(accepted)")
    }

    @Test func bundleVerifyCommandExitsZeroOnlyForTheOriginal() throws {
        let json = try Self.bundle.get()
        let appliance = try #require(BuiltProducts.executable(named: "appliance"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-cli-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = directory + "/original.json"
        let tampered = directory + "/tampered.json"
        try Data(json.serializedBytes()).write(to: URL(fileURLWithPath: original))
        let edited = Self.editing(json, at: [.key("decoded"), .key("reserve_bps")]) { Self.changed($0) }
        try Data(edited.serializedBytes()).write(to: URL(fileURLWithPath: tampered))
        let signer = try BundleVerifier.verify(json.serializedBytes()).appliance

        let ok = try CommandResult.run(appliance, ["bundle", "verify", original, "--appliance-address", signer.checksummed])
        #expect(ok.status == 0, "\(ok.standardError)")
        let bad = try CommandResult.run(appliance, ["bundle", "verify", tampered])
        #expect(bad.status == 1)
        #expect(bad.standardError.hasPrefix("error: the bundle does not verify"))
        let wrongSigner = try CommandResult.run(appliance, ["bundle", "verify", original, "--appliance-address",
                                                            "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"])
        #expect(wrongSigner.status == 1)

        let shown = try CommandResult.run(appliance, ["bundle", "show", original])
        #expect(shown.status == 0)
        for text in ["Aave V3 USDC", "previous targets:", "deadline:", "Safe nonce:", "verification: VALID"] {
            #expect(shown.standardOutput.contains(text), "bundle show lacks \(text)")
        }
        let shownBad = try CommandResult.run(appliance, ["bundle", "show", tampered])
        #expect(shownBad.status == 1 && shownBad.standardOutput.contains("verification: INVALID"))
    }
}
