# pragma version ~=0.4.3
"""
@title KillSwitchManager
@notice The seed's five on-chain kill-switch triggers, read-only, checked in this order:
          1. PEG          the stablecoin's Chainlink-style price is outside [0.98, 1.02]
          2. TVL_DROP     a monitored protocol's TVL fell more than 30 % against a reference at least 24 h old
          3. UTILIZATION  a monitored lending market is more than 95 % utilised
          4. ORACLE       the price is older than 1 h (or not positive, or from the future)
          5. GOVERNANCE   the guardian flagged a governance attack on a monitored protocol
        `shouldEmergencyWithdraw()` says whether and why to exit; `triggers()` gives every active trigger as a
        bit mask. Anyone may `trip()` the switch while a trigger is active; it then stays engaged (a latch, like
        the appliance's kill switch) until the guardian releases it with no trigger active. The StrategyHub
        refuses rebalances while `shouldExit()`: the latch, or the two price-feed triggers, which it checks live
        (the per-protocol triggers read every monitored market and would cost a rebalance ~100k gas; they act
        through the latch). An emergency exit is always allowed. TVL references come from `checkpoint()`, which
        anyone may call (a keeper calls it hourly): a protocol keeps its last two checkpoints at least 24 h
        apart, and the reference is the newest one that is at least 24 h old.
"""

from interfaces import IAdapter

from snekmate.auth import access_control

initializes: access_control

exports: (
    access_control.DEFAULT_ADMIN_ROLE,
    access_control.hasRole,
    access_control.getRoleAdmin,
    access_control.grantRole,
    access_control.revokeRole,
    access_control.renounceRole,
    access_control.supportsInterface,
)


interface IAggregator:
    def decimals() -> uint8: view
    def latestRoundData() -> (uint80, int256, uint256, uint256, uint80): view


struct Checkpoint:
    tvl: uint256
    at: uint256


GUARDIAN_ROLE: public(constant(bytes32)) = keccak256("GUARDIAN_ROLE")

TRIGGER_PEG: public(constant(uint256)) = 1
TRIGGER_TVL_DROP: public(constant(uint256)) = 2
TRIGGER_UTILIZATION: public(constant(uint256)) = 4
TRIGGER_ORACLE: public(constant(uint256)) = 8
TRIGGER_GOVERNANCE: public(constant(uint256)) = 16

MAX_SOURCES: constant(uint256) = 8
BPS: constant(uint256) = 10_000
DAY: constant(uint256) = 86_400

priceFeed: public(address)
pegDeviationBps: public(uint256)     # 200: outside [0.98, 1.02]
maxTvlDropBps: public(uint256)       # 3000: a 30 % drop
maxUtilizationBps: public(uint256)   # 9500
maxOracleAge: public(uint256)        # 3600 s

sources: public(DynArray[address, MAX_SOURCES])
latestCheckpoint: public(HashMap[address, Checkpoint])
previousCheckpoint: public(HashMap[address, Checkpoint])
governanceAlert: public(HashMap[address, bool])
engaged: public(bool)
engagedTriggers: public(uint256)
engagedAt: public(uint256)


event SourceAdded:
    source: indexed(address)


event Checkpointed:
    source: indexed(address)
    tvl: uint256


event GovernanceAlertChanged:
    source: indexed(address)
    alert: bool


event Engaged:
    caller: indexed(address)
    triggers: uint256


event Released:
    caller: indexed(address)


event ThresholdsChanged:
    pegDeviationBps: uint256
    maxTvlDropBps: uint256
    maxUtilizationBps: uint256
    maxOracleAge: uint256


@deploy
def __init__(price_feed: address):
    access_control.__init__()
    access_control._grant_role(GUARDIAN_ROLE, msg.sender)
    self.priceFeed = price_feed
    self._set_thresholds(200, 3000, 9500, 3600)


# MARK: - administration


@external
def addSource(source: address):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert source != empty(address) and source not in self.sources, "ksm: source zero or present"
    self.sources.append(source)
    self._checkpoint(source)
    log SourceAdded(source=source)


@external
def setPriceFeed(price_feed: address):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self.priceFeed = price_feed


@external
def setThresholds(peg_deviation_bps: uint256, max_tvl_drop_bps: uint256, max_utilization_bps: uint256,
                  max_oracle_age: uint256):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self._set_thresholds(peg_deviation_bps, max_tvl_drop_bps, max_utilization_bps, max_oracle_age)


@internal
def _set_thresholds(peg: uint256, tvl_drop: uint256, utilization: uint256, age: uint256):
    assert peg < BPS and tvl_drop <= BPS and utilization <= BPS and age != 0, "ksm: threshold out of range"
    self.pegDeviationBps = peg
    self.maxTvlDropBps = tvl_drop
    self.maxUtilizationBps = utilization
    self.maxOracleAge = age
    log ThresholdsChanged(pegDeviationBps=peg, maxTvlDropBps=tvl_drop, maxUtilizationBps=utilization,
                          maxOracleAge=age)


@external
def setGovernanceAlert(source: address, alert: bool):
    access_control._check_role(GUARDIAN_ROLE, msg.sender)
    assert source in self.sources, "ksm: unknown source"
    self.governanceAlert[source] = alert
    log GovernanceAlertChanged(source=source, alert=alert)


@external
def trip():
    """
    @notice Engages the switch while any trigger is active. Open to anyone: it only acts on what the chain shows.
    """
    found: uint256 = self._triggers(False)
    assert found != 0, "ksm: no trigger active"
    self._engage(found)


@external
def engage():
    access_control._check_role(GUARDIAN_ROLE, msg.sender)
    self._engage(self._triggers(False))


@external
def release():
    access_control._check_role(GUARDIAN_ROLE, msg.sender)
    assert self.engaged, "ksm: not engaged"
    assert self._triggers(False) == 0, "ksm: a trigger is still active"
    self.engaged = False
    self.engagedTriggers = 0
    self.engagedAt = 0
    log Released(caller=msg.sender)


@internal
def _engage(found: uint256):
    assert not self.engaged, "ksm: already engaged"
    self.engaged = True
    self.engagedTriggers = found
    self.engagedAt = block.timestamp
    log Engaged(caller=msg.sender, triggers=found)


@external
def checkpoint():
    """
    @notice Records each monitored protocol's TVL; a checkpoint replaces the latest one only after 24 h, so the
            reference is always at least 24 h old. Open to anyone: it only records what the chain shows.
    """
    for source: address in self.sources:
        self._checkpoint(source)


@internal
def _checkpoint(source: address):
    latest: Checkpoint = self.latestCheckpoint[source]
    if latest.at != 0 and block.timestamp < latest.at + DAY:
        return
    self.previousCheckpoint[source] = latest
    tvl: uint256 = staticcall IAdapter(source).protocolTVL()
    self.latestCheckpoint[source] = Checkpoint(tvl=tvl, at=block.timestamp)
    log Checkpointed(source=source, tvl=tvl)


# MARK: - the five checks


@external
@view
def checkStablecoinPeg() -> bool:
    return self._peg_broken()


@external
@view
def checkTVLDrop(source: address) -> bool:
    return self._tvl_dropped(source)


@external
@view
def checkUtilization(source: address) -> bool:
    return staticcall IAdapter(source).utilizationBps() > self.maxUtilizationBps


@external
@view
def checkOracleHealth() -> bool:
    """
    @return True when the oracle has failed (stale, non-positive or future price), as in the seed.
    """
    return self._oracle_failed()


@external
@view
def checkGovernanceAnomaly(source: address) -> bool:
    return self.governanceAlert[source]


@external
@view
def referenceTVL(source: address) -> uint256:
    return self._reference(source).tvl


@external
@view
def triggers() -> uint256:
    return self._triggers(False)


@external
@view
def shouldExit() -> bool:
    """
    @notice What the StrategyHub checks before a rebalance: the latch, or a broken peg or failed oracle.
    """
    if self.engaged:
        return True
    answer: int256 = 0
    updated_at: uint256 = 0
    decimals: uint256 = 0
    answer, updated_at, decimals = self._price()
    return self._peg_broken_at(answer, decimals) or self._oracle_failed_at(answer, updated_at)


@external
@view
def shouldEmergencyWithdraw() -> (bool, String[40]):
    found: uint256 = self._triggers(True)
    if found == TRIGGER_PEG:
        return True, "Stablecoin depeg detected"
    if found == TRIGGER_TVL_DROP:
        return True, "TVL crash detected"
    if found == TRIGGER_UTILIZATION:
        return True, "Utilization spike detected"
    if found == TRIGGER_ORACLE:
        return True, "Oracle failure detected"
    if found == TRIGGER_GOVERNANCE:
        return True, "Governance attack detected"
    return False, ""


# MARK: - internals


@internal
@view
def _triggers(first_only: bool) -> uint256:
    """
    @dev Every active trigger as a bit mask, or (first_only) the first in the seed's order.
    """
    found: uint256 = 0
    if self._peg_broken():
        found |= TRIGGER_PEG
        if first_only:
            return found
    utilization_cap: uint256 = self.maxUtilizationBps
    tvl_drop: bool = False
    utilization: bool = False
    governance: bool = False
    for source: address in self.sources:
        tvl_drop = tvl_drop or self._tvl_dropped(source)
        utilization = utilization or staticcall IAdapter(source).utilizationBps() > utilization_cap
        governance = governance or self.governanceAlert[source]
    if tvl_drop:
        found |= TRIGGER_TVL_DROP
        if first_only:
            return found
    if utilization:
        found |= TRIGGER_UTILIZATION
        if first_only:
            return found
    if self._oracle_failed():
        found |= TRIGGER_ORACLE
        if first_only:
            return found
    if governance:
        found |= TRIGGER_GOVERNANCE
    return found


@internal
@view
def _price() -> (int256, uint256, uint256):
    feed: address = self.priceFeed
    answer: int256 = 0
    updated_at: uint256 = 0
    _: uint80 = 0
    started_at: uint256 = 0
    answered_in: uint80 = 0
    _, answer, started_at, updated_at, answered_in = staticcall IAggregator(feed).latestRoundData()
    return answer, updated_at, convert(staticcall IAggregator(feed).decimals(), uint256)


@internal
@view
def _peg_broken() -> bool:
    answer: int256 = 0
    updated_at: uint256 = 0
    decimals: uint256 = 0
    answer, updated_at, decimals = self._price()
    return self._peg_broken_at(answer, decimals)


@internal
@view
def _peg_broken_at(answer: int256, decimals: uint256) -> bool:
    if answer <= 0:
        return True
    one: uint256 = 10 ** decimals
    price: uint256 = convert(answer, uint256)
    deviation: uint256 = self.pegDeviationBps
    return price * BPS < one * (BPS - deviation) or price * BPS > one * (BPS + deviation)


@internal
@view
def _oracle_failed() -> bool:
    answer: int256 = 0
    updated_at: uint256 = 0
    decimals: uint256 = 0
    answer, updated_at, decimals = self._price()
    return self._oracle_failed_at(answer, updated_at)


@internal
@view
def _oracle_failed_at(answer: int256, updated_at: uint256) -> bool:
    return answer <= 0 or updated_at > block.timestamp or block.timestamp - updated_at > self.maxOracleAge


@internal
@view
def _reference(source: address) -> Checkpoint:
    latest: Checkpoint = self.latestCheckpoint[source]
    if latest.at != 0 and block.timestamp >= latest.at + DAY:
        return latest
    return self.previousCheckpoint[source]


@internal
@view
def _tvl_dropped(source: address) -> bool:
    reference: Checkpoint = self._reference(source)
    if reference.at == 0 or reference.tvl == 0:
        return False
    current: uint256 = staticcall IAdapter(source).protocolTVL()
    return current * BPS < reference.tvl * (BPS - self.maxTvlDropBps)
