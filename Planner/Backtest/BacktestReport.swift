import Allocation
import Foundation
import MarketData
import SigningPolicy

/// The HTML report of a backtest (`planner backtest --report FILE.html`): one self-contained file, charts as inline
/// SVG (no scripts, nothing fetched): cumulative return per strategy, drawdowns, the allocation over time of each
/// strategy as stacked areas, the metrics table and the kill-switch events.
public struct BacktestReport {
    public let suite: BacktestSuite
    public let policyName: String
    public let notes: MarketPanelLoader.Notes

    public init(suite: BacktestSuite, policyName: String, notes: MarketPanelLoader.Notes) {
        self.suite = suite
        self.policyName = policyName
        self.notes = notes
    }

    static let strategyColors = ["#1b6ac9", "#7f7f7f", "#e8710a", "#9334e6", "#188038", "#d01884", "#12b5cb",
                                 "#b06000", "#3c4043"]
    static let marketColors = ["#4285f4", "#34a853", "#fbbc04", "#ea4335", "#a142f4", "#24c1e0", "#f439a0",
                               "#9aa0a6", "#5f6368"]
    static let reserveColor = "#dadce0"

    public func html() -> String {
        let runs = suite.entries.map(\.run)
        let times = runs.first?.times ?? []
        let period = "\(UTCDate.dayString(suite.from)) → \(UTCDate.dayString(suite.to))"
        let step = suite.panel.stepSeconds == 3_600 ? "hourly" : "daily"
        var body = """
            <h1>Backtest \(period)</h1>
            <p class="sub">\(suite.panel.stepCount - 1) \(step) steps · policy <code>\(escape(policyName))</code> ·
            markets \(suite.panel.markets.map { "<code>\($0.id)</code>" }.joined(separator: ", ")) ·
            ETH price from \(escape(notes.ethPriceSource)). Every proposal was checked by the appliance's policy
            evaluator; gas and slippage are charged.</p>
            """
        body += "<h2>Results</h2>" + metricsTable()
        let cumulative = runs.enumerated().map { i, run in
            (run.name, Self.strategyColors[i % Self.strategyColors.count],
             run.equity.map { 100 * ($0 / (run.equity.first ?? 1) - 1) })
        }
        body += "<h2>Cumulative return after costs</h2>"
        body += lineChart(times: times, series: cumulative, unit: "%", fillBelow: false)
        let drawdowns = runs.enumerated().map { i, run in
            (run.name, Self.strategyColors[i % Self.strategyColors.count],
             PerformanceMetrics.drawdowns(run.equity).map { -100 * $0 })
        }
        body += "<h2>Drawdown</h2>"
        body += lineChart(times: times, series: drawdowns, unit: "%", fillBelow: true)
        body += "<h2>Allocation over time</h2>" + marketLegend()
        body += "<div class=\"grid\">"
        for run in runs where run.name != "all_reserve" {
            body += "<div><h3>\(escape(run.name))</h3>" + allocationChart(run) + "</div>"
        }
        body += "</div>"
        let events = suite.entries.filter { !$0.run.events.isEmpty }
        if !events.isEmpty {
            body += "<h2>Kill switch</h2><ul>"
            for entry in events {
                for event in entry.run.events { body += "<li><b>\(escape(entry.run.name))</b>: \(escape(event))</li>" }
                if let twin = entry.withoutKillSwitch {
                    body += String(format: "<li><b>%@</b>: final value $%.0f with the kill switch against $%.0f "
                                       + "holding through; lowest $%.0f against $%.0f</li>",
                                   escape(entry.run.name), entry.run.finalValueUSD, twin.finalValueUSD,
                                   entry.run.lowestValueUSD, twin.lowestValueUSD)
                }
            }
            body += "</ul>"
        }
        body += """
            <p class="note">Net APY = (1 + mean daily return)<sup>365</sup> − 1 after gas and slippage; Sharpe and
            Sortino from daily returns × √365, risk-free 0; maximum drawdown from the \(step) equity curve; turnover
            as a multiple of the capital. Rejected proposals move nothing.</p>
            """
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Backtest \(period)</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;
                 color:#202124;padding:0 16px}
            h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px}h3{font-size:14px;margin:8px 0 2px}
            .sub,.note{color:#5f6368;font-size:13px;line-height:1.5}
            table{border-collapse:collapse;font-size:13px;width:100%}
            th,td{padding:5px 8px;text-align:right;border-bottom:1px solid #e8eaed;white-space:nowrap}
            th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}
            th{background:#f8f9fa;font-weight:600}tr.best td{background:#e6f4ea}
            .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
            .legend{font-size:12px;color:#3c4043;margin:4px 0 8px}.legend span{margin-right:14px;white-space:nowrap}
            .grid{display:grid;grid-template-columns:1fr 1fr;gap:8px 24px}
            svg text{font-size:11px;fill:#5f6368}
            </style></head><body>
            \(body)
            </body></html>
            """
    }

    // MARK: - Table

    func metricsTable() -> String {
        func pct(_ v: Double) -> String { String(format: "%.2f %%", 100 * v) }
        func num(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }
        let best = suite.entries.max { $0.run.metrics.netAPY < $1.run.metrics.netAPY }?.run.name
        var rows = ""
        for (i, entry) in suite.entries.enumerated() {
            let r = entry.run
            let color = Self.strategyColors[i % Self.strategyColors.count]
            rows += "<tr\(r.name == best ? " class=\"best\"" : "")><td><span class=\"swatch\" "
                + "style=\"background:\(color)\"></span>\(escape(r.name))</td><td>\(r.kind.rawValue)</td>"
                + "<td>\(pct(r.metrics.netAPY))</td><td>\(pct(r.metrics.cagr))</td><td>\(num(r.metrics.sharpe))</td>"
                + "<td>\(num(r.metrics.sortino))</td><td>\(pct(r.metrics.maxDrawdown))</td>"
                + String(format: "<td>$%.2f</td><td>$%.2f</td>", r.gasUSD, r.slippageUSD)
                + "<td>\(r.rebalances)</td><td>\(String(format: "%.2f", r.turnover))×</td>"
                + "<td>\(r.policyRejections)</td><td>\(String(format: "$%.0f", r.finalValueUSD))</td></tr>"
        }
        return "<table><tr><th>strategy</th><th>kind</th><th>net APY</th><th>CAGR</th><th>Sharpe</th>"
            + "<th>Sortino</th><th>max drawdown</th><th>gas</th><th>slippage</th><th>rebalances</th>"
            + "<th>turnover</th><th>rejected</th><th>final value</th></tr>\(rows)</table>"
    }

    func marketLegend() -> String {
        var out = "<div class=\"legend\">"
        for (m, market) in suite.panel.markets.enumerated() {
            out += "<span><span class=\"swatch\" style=\"background:\(Self.marketColors[m % Self.marketColors.count])"
                + "\"></span>\(escape(market.id))</span>"
        }
        return out + "<span><span class=\"swatch\" style=\"background:\(Self.reserveColor)\"></span>"
            + "reserve</span></div>"
    }

    // MARK: - Charts

    /// At most `limit` indices spread over `count`, always including the last.
    static func sample(_ count: Int, limit: Int = 700) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        let stride = Double(count - 1) / Double(limit - 1)
        return (0..<limit).map { Int((Double($0) * stride).rounded()) }
    }

    func lineChart(times: [Timestamp], series: [(String, String, [Double])], unit: String, fillBelow: Bool)
        -> String
    {
        let width = 1060.0, height = 300.0, left = 56.0, right = 12.0, top = 10.0, bottom = 26.0
        let plotW = width - left - right, plotH = height - top - bottom
        let indices = Self.sample(times.count)
        let all = series.flatMap { s in indices.map { s.2[$0] } }
        var low = all.min() ?? 0, high = all.max() ?? 1
        if fillBelow { high = 0 } else { low = min(low, 0) }
        if high - low < 1e-9 { high = low + 1 }
        let ticks = Self.niceTicks(low: low, high: high)
        low = min(low, ticks.first ?? low)
        high = max(high, ticks.last ?? high)
        let t0 = Double(times.first?.seconds ?? 0), t1 = Double(times.last?.seconds ?? 1)
        func x(_ i: Int) -> Double { left + plotW * (Double(times[i].seconds) - t0) / max(1, t1 - t0) }
        func y(_ v: Double) -> Double { top + plotH * (high - v) / (high - low) }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\">"
        for tick in ticks {
            svg += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e8eaed\"/>",
                          left, width - right, y(tick), y(tick))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>", left - 6,
                          y(tick) + 4, Self.format(tick) + " " + unit)
        }
        svg += xAxis(times: times, x: x, y: top + plotH)
        for (name, color, values) in series {
            // Each point stands for the steps up to the next one: a drawdown chart shows the bucket's deepest value,
            // so no trough falls between samples.
            let points = indices.enumerated().map { k, i -> String in
                let end = k + 1 < indices.count ? indices[k + 1] : i + 1
                let value = fillBelow ? values[i..<max(i + 1, end)].min()! : values[i]
                return String(format: "%.1f,%.1f", x(i), y(value))
            }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\" points=\"\(points)\">"
                + "<title>\(escape(name))</title></polyline>"
        }
        svg += "</svg>"
        var legend = "<div class=\"legend\">"
        for (name, color, _) in series {
            legend += "<span><span class=\"swatch\" style=\"background:\(color)\"></span>\(escape(name))</span>"
        }
        return legend + "</div>" + svg
    }

    func allocationChart(_ run: BacktestRun) -> String {
        let width = 520.0, height = 170.0, left = 40.0, right = 6.0, top = 6.0, bottom = 22.0
        let plotW = width - left - right, plotH = height - top - bottom
        let times = run.times
        let indices = Self.sample(times.count, limit: 400)
        let t0 = Double(times.first?.seconds ?? 0), t1 = Double(times.last?.seconds ?? 1)
        func x(_ i: Int) -> Double { left + plotW * (Double(times[i].seconds) - t0) / max(1, t1 - t0) }
        func y(_ fraction: Double) -> Double { top + plotH * (1 - fraction) }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\">"
        var lower = indices.map { _ in 0.0 }
        let layers = Array(0..<suite.panel.marketCount) + [-1]
        for layer in layers {
            let upper = indices.enumerated().map { k, i in
                lower[k] + Double(layer < 0 ? run.weights[i].reserveBps : run.weights[i].bps[layer]) / 10_000
            }
            if zip(upper, lower).contains(where: { $0 - $1 > 1e-6 }) {
                let top = indices.enumerated().map { k, i in String(format: "%.1f,%.1f", x(i), y(upper[k])) }
                let bottom = indices.enumerated().reversed().map { k, i in
                    String(format: "%.1f,%.1f", x(i), y(lower[k]))
                }
                let color = layer < 0 ? Self.reserveColor : Self.marketColors[layer % Self.marketColors.count]
                let name = layer < 0 ? "reserve" : suite.panel.markets[layer].id
                svg += "<polygon fill=\"\(color)\" stroke=\"none\" points=\"\((top + bottom).joined(separator: " "))\">"
                    + "<title>\(name)</title></polygon>"
            }
            lower = upper
        }
        for fraction in [0.0, 0.5, 1.0] {
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d %%</text>", left - 4,
                          y(fraction) + 4, Int(fraction * 100))
        }
        svg += xAxis(times: times, x: x, y: top + plotH, maxLabels: 6)
        return svg + "</svg>"
    }

    func xAxis(times: [Timestamp], x: (Int) -> Double, y: Double, maxLabels: Int = 12) -> String {
        guard let first = times.first, let last = times.last else { return "" }
        let days = Double(last.seconds - first.seconds) / 86_400
        var out = ""
        var labels: [(Int, String)] = []
        for (i, time) in times.enumerated() where time.seconds % 86_400 == 0 {
            let text = UTCDate.dayString(time)
            if days > 62 ? text.hasSuffix("-01") : (i == 0 || text.hasSuffix("-01") || text.hasSuffix("-08")
                                                    || text.hasSuffix("-15") || text.hasSuffix("-22")) {
                labels.append((i, days > 62 ? String(text.prefix(7)) : String(text.suffix(5))))
            }
        }
        let every = max(1, (labels.count + maxLabels - 1) / maxLabels)
        for (k, label) in labels.enumerated() where k % every == 0 {
            out += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#bdc1c6\"/>",
                          x(label.0), x(label.0), y, y + 4)
            out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>", x(label.0),
                          y + 16, label.1)
        }
        return out
    }

    static func niceTicks(low: Double, high: Double) -> [Double] {
        let span = high - low
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var tick = floor(low / step) * step
        var out: [Double] = []
        while tick <= high + step * 0.001 {
            out.append(tick)
            tick += step
        }
        if let last = out.last, last < high { out.append(last + step) }
        return out
    }

    static func format(_ value: Double) -> String {
        if abs(value) < 1e-12 { return "0" }
        if abs(value) >= 10 { return String(format: "%.0f", value) }
        if abs(value) >= 1 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
