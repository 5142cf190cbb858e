import BigInt
import Ethereum
import Foundation

extension AaveV3PoolRPC {
    /// `DataTypes.ReserveData` as Aave v3.0's Pool returns it from `getReserveData`, with the supply APY derived
    /// from the liquidity rate. Rates are per-year APRs in ray (1e27 = 100 %).
    public struct ReserveData: Hashable, Sendable {
        /// The reserve configuration bitmap (`ReserveConfigurationMap.data`).
        public var configuration: BigUInt
        public var liquidityIndex: BigUInt
        /// The supply APR in ray.
        public var currentLiquidityRate: BigUInt
        public var variableBorrowIndex: BigUInt
        public var currentVariableBorrowRate: BigUInt
        public var currentStableBorrowRate: BigUInt
        /// Unix seconds of the last index update.
        public var lastUpdateTimestamp: UInt64
        public var id: UInt16
        public var aTokenAddress: Address
        public var stableDebtTokenAddress: Address
        public var variableDebtTokenAddress: Address
        public var interestRateStrategyAddress: Address
        public var accruedToTreasury: BigUInt
        public var unbacked: BigUInt
        public var isolationModeTotalDebt: BigUInt

        /// The v3.0 layout: a static tuple of 15 words.
        public static let abiTypes: [ABIType] = [
            .uint(bits: 256),
            .uint(bits: 128), .uint(bits: 128), .uint(bits: 128), .uint(bits: 128), .uint(bits: 128),
            .uint(bits: 40), .uint(bits: 16),
            .address, .address, .address, .address,
            .uint(bits: 128), .uint(bits: 128), .uint(bits: 128),
        ]

        /// One ray, 1e27.
        public static let ray = BigUInt(10).power(27)
        public static let secondsPerYear: Double = 31_536_000

        /// From the decoded outputs of `getReserveData`, in `abiTypes` order.
        public init(_ values: [ABIValue]) throws {
            guard values.count == Self.abiTypes.count else {
                throw JSONRPCError(.invalidResult, "ReserveData has 15 fields, got \(values.count)")
            }
            func uint(_ i: Int) throws -> BigUInt {
                guard case .uint(let value) = values[i] else {
                    throw JSONRPCError(.invalidResult, "ReserveData field \(i) is not an unsigned integer")
                }
                return value
            }
            func address(_ i: Int) throws -> Address {
                guard case .address(let value) = values[i] else {
                    throw JSONRPCError(.invalidResult, "ReserveData field \(i) is not an address")
                }
                return value
            }
            configuration = try uint(0)
            liquidityIndex = try uint(1)
            currentLiquidityRate = try uint(2)
            variableBorrowIndex = try uint(3)
            currentVariableBorrowRate = try uint(4)
            currentStableBorrowRate = try uint(5)
            lastUpdateTimestamp = UInt64(try uint(6))
            id = UInt16(try uint(7))
            aTokenAddress = try address(8)
            stableDebtTokenAddress = try address(9)
            variableDebtTokenAddress = try address(10)
            interestRateStrategyAddress = try address(11)
            accruedToTreasury = try uint(12)
            unbacked = try uint(13)
            isolationModeTotalDebt = try uint(14)
        }

        /// The fields in `abiTypes` order, for encoding.
        public var abiValues: [ABIValue] {
            [
                .uint(configuration), .uint(liquidityIndex), .uint(currentLiquidityRate), .uint(variableBorrowIndex),
                .uint(currentVariableBorrowRate), .uint(currentStableBorrowRate),
                .uint(BigUInt(lastUpdateTimestamp)), .uint(BigUInt(id)),
                .address(aTokenAddress), .address(stableDebtTokenAddress), .address(variableDebtTokenAddress),
                .address(interestRateStrategyAddress),
                .uint(accruedToTreasury), .uint(unbacked), .uint(isolationModeTotalDebt),
            ]
        }

        /// The supply APR as a fraction (0.0338 for 3.38 %).
        public var liquidityAPR: Double { Self.fraction(fromRay: currentLiquidityRate) }

        /// The supply APY as a fraction, compounding the APR every second as Aave does.
        public var liquidityAPY: Double { Self.apy(fromRayRate: currentLiquidityRate) }

        /// The variable borrow APY as a fraction.
        public var variableBorrowAPY: Double { Self.apy(fromRayRate: currentVariableBorrowRate) }

        /// A ray value as a fraction.
        public static func fraction(fromRay value: BigUInt) -> Double { Double(value) / 1e27 }

        /// APY = (1 + APR / secondsPerYear)^secondsPerYear − 1 for an APR in ray, computed as
        /// expm1(n · log1p(APR / n)) so the tiny per-second rate loses no precision.
        public static func apy(fromRayRate rate: BigUInt) -> Double {
            let n = secondsPerYear
            return expm1(n * log1p(fraction(fromRay: rate) / n))
        }
    }
}
