# pragma version ~=0.4.3
"""
@title StrategyHub
@notice Moves the vault's assets between allowlisted protocol adapters. It executes exactly the two calls the
        appliance signs for (DESIGN.md, "On-chain interface"):
            rebalance((address,uint16)[] targets, uint16 reserveBps, uint16 maxSlippageBps, uint256 deadline)
            emergencyExit(address safeHaven, uint16 maxSlippageBps, uint256 deadline)
        and refuses everything else: only the keeper (the appliance's key, keeper mode) or the Safe (Safe mode) may
        call them; the deadline, the adapter allowlist, the weight bounds, the slippage cap, the cooldown and the
        rolling 24 h limit are checked on chain whatever the signer approved. Every move carries a minimum out
        derived from maxSlippageBps; afterwards the vault's NAV must not have fallen by more than maxSlippageBps,
        and a fall of more than 20 % in one transaction trips the circuit breaker (revert) first.
        While the KillSwitchManager reports a trigger, or the vault is paused, only emergencyExit runs.
"""

from ethereum.ercs import IERC20
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


interface IVault:
    def asset() -> address: view
    def paused() -> bool: view
    def allocate(adapter: address, amount: uint256): nonpayable


interface IKillSwitch:
    def shouldExit() -> bool: view


struct Target:
    adapter: address
    weightBps: uint16


MAX_ADAPTERS: constant(uint256) = 8
MAX_RING: constant(uint256) = 24
BPS: constant(uint256) = 10_000
DAY: constant(uint256) = 86_400
CIRCUIT_BREAKER_BPS: public(constant(uint256)) = 2_000   # NAV may not fall more than 20 % in one transaction

VAULT: public(immutable(address))
ASSET: public(immutable(address))

keeper: public(address)
safe: public(address)
killSwitch: public(address)
safeHaven: public(address)

adapters: public(DynArray[address, MAX_ADAPTERS])
adapterIndex: HashMap[address, uint256]            # 1-based position in `adapters`; 0 = not allowlisted
maxWeightBps: public(HashMap[address, uint256])

minWeightBps: public(uint256)
minReserveBps: public(uint256)
maxSlippageCapBps: public(uint256)
cooldown: public(uint256)
maxRebalancesPerDay: public(uint256)

recent: uint256[MAX_RING]                          # ring of the last maxRebalancesPerDay rebalance times
recentNext: uint256                                # the slot the next rebalance writes


event RebalanceExecuted:
    caller: indexed(address)
    navBefore: uint256
    navAfter: uint256
    reserveBps: uint16
    maxSlippageBps: uint16
    targetsHash: bytes32


event EmergencyExitExecuted:
    caller: indexed(address)
    safeHaven: indexed(address)
    navBefore: uint256
    navAfter: uint256


event AdapterAdded:
    adapter: indexed(address)
    maxWeightBps: uint256


event AdapterRemoved:
    adapter: indexed(address)


event CallersChanged:
    keeper: address
    safe: address


event LimitsChanged:
    minWeightBps: uint256
    minReserveBps: uint256
    maxSlippageCapBps: uint256
    cooldown: uint256
    maxRebalancesPerDay: uint256


@deploy
def __init__(vault: address, kill_switch: address):
    VAULT = vault
    ASSET = staticcall IVault(vault).asset()
    access_control.__init__()
    self.killSwitch = kill_switch
    # The seed's bounds: 5 % minimum position, 5 % reserve, 6 h cooldown, 4 rebalances a day; 2 % slippage cap.
    self._set_limits(500, 500, 200, 6 * 3600, 4)


# MARK: - administration (DEFAULT_ADMIN_ROLE)


@external
def setCallers(keeper: address, safe: address):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self.keeper = keeper
    self.safe = safe
    log CallersChanged(keeper=keeper, safe=safe)


@external
def setKillSwitch(kill_switch: address):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self.killSwitch = kill_switch


@external
def setSafeHaven(haven: address):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert self.adapterIndex[haven] != 0, "hub: safe haven is not an adapter"
    self.safeHaven = haven


@external
def addAdapter(adapter: address, max_weight_bps: uint256):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    assert adapter != empty(address), "hub: zero adapter"
    assert self.adapterIndex[adapter] == 0, "hub: adapter already added"
    assert max_weight_bps <= BPS, "hub: weight above 10000"
    assert staticcall IAdapter(adapter).asset() == ASSET, "hub: adapter asset differs"
    self.adapters.append(adapter)
    self.adapterIndex[adapter] = len(self.adapters)
    self.maxWeightBps[adapter] = max_weight_bps
    log AdapterAdded(adapter=adapter, maxWeightBps=max_weight_bps)


@external
def removeAdapter(adapter: address):
    """
    @notice Only an empty adapter can leave the allowlist (its assets would otherwise drop out of the NAV).
    """
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    index: uint256 = self.adapterIndex[adapter]
    assert index != 0, "hub: not an adapter"
    assert staticcall IAdapter(adapter).totalAssets() == 0, "hub: adapter not empty"
    assert adapter != self.safeHaven, "hub: adapter is the safe haven"
    last: address = self.adapters.pop()
    if last != adapter:
        self.adapters[index - 1] = last
        self.adapterIndex[last] = index
    self.adapterIndex[adapter] = 0
    self.maxWeightBps[adapter] = 0
    log AdapterRemoved(adapter=adapter)


@external
def setLimits(min_weight_bps: uint256, min_reserve_bps: uint256, max_slippage_cap_bps: uint256, cooldown: uint256,
              max_rebalances_per_day: uint256):
    access_control._check_role(access_control.DEFAULT_ADMIN_ROLE, msg.sender)
    self._set_limits(min_weight_bps, min_reserve_bps, max_slippage_cap_bps, cooldown, max_rebalances_per_day)


@internal
def _set_limits(min_weight_bps: uint256, min_reserve_bps: uint256, max_slippage_cap_bps: uint256, cooldown: uint256,
                max_rebalances_per_day: uint256):
    assert min_weight_bps <= BPS and min_reserve_bps <= BPS, "hub: bound above 10000"
    assert max_slippage_cap_bps < CIRCUIT_BREAKER_BPS, "hub: slippage cap not below the circuit breaker"
    assert max_rebalances_per_day >= 1 and max_rebalances_per_day <= MAX_RING, "hub: daily limit outside 1-24"
    self.minWeightBps = min_weight_bps
    self.minReserveBps = min_reserve_bps
    self.maxSlippageCapBps = max_slippage_cap_bps
    self.cooldown = cooldown
    if max_rebalances_per_day != self.maxRebalancesPerDay:
        # A new ring size starts a fresh ring holding the last rebalance only (conservative: never forgets it).
        # Empty slots hold 1 ("long ago") rather than 0, so that a rebalance never pays for a zero-to-non-zero write.
        last: uint256 = max(self._last_rebalance_at(), 1)
        for i: uint256 in range(MAX_RING):
            self.recent[i] = 1 if i < max_rebalances_per_day else 0
        self.recent[0] = last
        self.recentNext = 1 % max_rebalances_per_day
    self.maxRebalancesPerDay = max_rebalances_per_day
    log LimitsChanged(minWeightBps=min_weight_bps, minReserveBps=min_reserve_bps,
                      maxSlippageCapBps=max_slippage_cap_bps, cooldown=cooldown,
                      maxRebalancesPerDay=max_rebalances_per_day)


# MARK: - views


@external
@view
def isAdapter(adapter: address) -> bool:
    return self.adapterIndex[adapter] != 0


@external
@view
@nonreentrant
def deployedAssets() -> uint256:
    """
    @notice The value held in all adapters, in the asset's units (the vault adds its idle balance).
    """
    total: uint256 = 0
    for adapter: address in self.adapters:
        total += staticcall IAdapter(adapter).totalAssets()
    return total


@external
@view
def adapterCount() -> uint256:
    return len(self.adapters)


@external
@view
def lastRebalanceAt() -> uint256:
    return self._last_rebalance_at()


@internal
@view
def _last_rebalance_at() -> uint256:
    ring: uint256 = self.maxRebalancesPerDay
    if ring == 0:
        return 0
    at: uint256 = self.recent[(self.recentNext + ring - 1) % ring]
    return at if at > 1 else 0


@external
@view
def rebalancesInLast24h() -> uint256:
    count: uint256 = 0
    for i: uint256 in range(MAX_RING):
        if i >= self.maxRebalancesPerDay:
            break
        at: uint256 = self.recent[i]
        if at > 1 and at + DAY > block.timestamp:
            count += 1
    return count


# MARK: - the two signed calls


@external
@nonreentrant
def rebalance(targets: DynArray[Target, MAX_ADAPTERS], reserveBps: uint16, maxSlippageBps: uint16, deadline: uint256):
    self._check_call(maxSlippageBps, deadline)
    assert not staticcall IVault(VAULT).paused(), "hub: vault paused"
    kill_switch: address = self.killSwitch
    if kill_switch != empty(address):
        assert not staticcall IKillSwitch(kill_switch).shouldExit(), "hub: kill switch triggered"
    self._check_rate()

    # Target weights by allowlist position; anything not named goes to zero.
    count: uint256 = len(self.adapters)
    weights: uint256[MAX_ADAPTERS] = empty(uint256[MAX_ADAPTERS])
    named: bool[MAX_ADAPTERS] = empty(bool[MAX_ADAPTERS])
    total: uint256 = convert(reserveBps, uint256)
    min_weight: uint256 = self.minWeightBps
    assert total >= self.minReserveBps, "hub: reserve below minimum"
    for target: Target in targets:
        index: uint256 = self.adapterIndex[target.adapter]
        assert index != 0, "hub: adapter not allowed"
        assert not named[index - 1], "hub: duplicate adapter"
        named[index - 1] = True
        weight: uint256 = convert(target.weightBps, uint256)
        assert weight <= self.maxWeightBps[target.adapter], "hub: weight above maximum"
        assert weight == 0 or weight >= min_weight, "hub: weight below minimum"
        weights[index - 1] = weight
        total += weight
    assert total == BPS, "hub: weights and reserve do not sum to 10000"

    slippage: uint256 = convert(maxSlippageBps, uint256)
    current: uint256[MAX_ADAPTERS] = empty(uint256[MAX_ADAPTERS])
    idle: uint256 = staticcall IERC20(ASSET).balanceOf(VAULT)
    nav_before: uint256 = idle
    for i: uint256 in range(MAX_ADAPTERS):
        if i >= count:
            break
        current[i] = staticcall IAdapter(self.adapters[i]).totalAssets()
        nav_before += current[i]

    # Withdraw first (into the vault), then deposit from what is idle.
    for i: uint256 in range(MAX_ADAPTERS):
        if i >= count:
            break
        desired: uint256 = nav_before * weights[i] // BPS
        if current[i] > desired:
            adapter: IAdapter = IAdapter(self.adapters[i])
            if desired == 0:
                idle += extcall adapter.withdrawAll(self._min_out(current[i], slippage))
            else:
                amount: uint256 = current[i] - desired
                idle += extcall adapter.withdraw(amount, self._min_out(amount, slippage))
    for i: uint256 in range(MAX_ADAPTERS):
        if i >= count:
            break
        desired: uint256 = nav_before * weights[i] // BPS
        if desired > current[i]:
            amount: uint256 = min(desired - current[i], idle)
            if amount != 0:
                adapter: address = self.adapters[i]
                extcall IVault(VAULT).allocate(adapter, amount)
                extcall IAdapter(adapter).deposit(amount, self._min_out(amount, slippage))
                idle -= amount

    nav_after: uint256 = self._check_nav(nav_before, slippage)
    log RebalanceExecuted(caller=msg.sender, navBefore=nav_before, navAfter=nav_after, reserveBps=reserveBps,
                          maxSlippageBps=maxSlippageBps, targetsHash=keccak256(abi_encode(targets)))


@external
@nonreentrant
def emergencyExit(safeHaven: address, maxSlippageBps: uint16, deadline: uint256):
    """
    @notice Withdraws every other adapter's position and puts it into the safe haven. Exempt from the cooldown,
            the daily limit, the kill switch and the pause (moving to the safe haven only reduces risk); never
            from the caller check, the deadline, the slippage bound or the circuit breaker.
    """
    self._check_call(maxSlippageBps, deadline)
    assert safeHaven != empty(address) and safeHaven == self.safeHaven, "hub: not the safe haven"
    slippage: uint256 = convert(maxSlippageBps, uint256)
    idle: uint256 = staticcall IERC20(ASSET).balanceOf(VAULT)
    nav_before: uint256 = idle
    moved: uint256 = 0
    for adapter: address in self.adapters:
        value: uint256 = staticcall IAdapter(adapter).totalAssets()
        nav_before += value
        if adapter != safeHaven and value != 0:
            moved += extcall IAdapter(adapter).withdrawAll(self._min_out(value, slippage))
    if moved != 0:
        extcall IVault(VAULT).allocate(safeHaven, moved)
        extcall IAdapter(safeHaven).deposit(moved, self._min_out(moved, slippage))
    nav_after: uint256 = self._check_nav(nav_before, slippage)
    log EmergencyExitExecuted(caller=msg.sender, safeHaven=safeHaven, navBefore=nav_before, navAfter=nav_after)


# MARK: - internals


@internal
@view
def _check_call(max_slippage_bps: uint16, deadline: uint256):
    assert msg.sender != empty(address) and (msg.sender == self.keeper or msg.sender == self.safe), \
        "hub: caller is not the keeper or the safe"
    assert block.timestamp <= deadline, "hub: deadline passed"
    assert convert(max_slippage_bps, uint256) <= self.maxSlippageCapBps, "hub: slippage above cap"


@internal
def _check_rate():
    now: uint256 = block.timestamp
    ring: uint256 = self.maxRebalancesPerDay
    slot: uint256 = self.recentNext
    last: uint256 = self.recent[(slot + ring - 1) % ring]
    assert last <= 1 or now >= last + self.cooldown, "hub: cooldown active"
    # The slot about to be overwritten holds the rebalance maxRebalancesPerDay rebalances ago.
    oldest: uint256 = self.recent[slot]
    assert oldest + DAY <= now, "hub: daily rebalance limit reached"
    self.recent[slot] = now
    self.recentNext = (slot + 1) % ring


@internal
@pure
def _min_out(amount: uint256, slippage_bps: uint256) -> uint256:
    return amount * (BPS - slippage_bps) // BPS


@internal
@view
def _check_nav(nav_before: uint256, slippage_bps: uint256) -> uint256:
    nav_after: uint256 = staticcall IERC20(ASSET).balanceOf(VAULT)
    for adapter: address in self.adapters:
        nav_after += staticcall IAdapter(adapter).totalAssets()
    assert nav_after * BPS >= nav_before * (BPS - CIRCUIT_BREAKER_BPS), "hub: circuit breaker (NAV fell > 20 %)"
    assert nav_after * BPS >= nav_before * (BPS - slippage_bps), "hub: NAV fell more than maxSlippageBps"
    return nav_after
