import Live
import Testing

struct PlannerMetricsTests {
    @Test func renderShowsEveryFamilyWithLabelsSortedAndEscaped() {
        let metrics = PlannerMetrics()
        metrics.increment("planner_cycles_total")
        metrics.increment("planner_cycles_total")
        metrics.increment("planner_rejections_total", labels: [("code", "COOLDOWN_ACTIVE")])
        metrics.set("planner_target_weight_bps", labels: [("adapter", "0xA"), ("name", "say \"hi\"")], 2500)
        metrics.set("planner_last_cycle_duration_seconds", 0.25)
        let text = metrics.render()
        #expect(text.contains("# TYPE planner_cycles_total counter\nplanner_cycles_total 2\n"))
        #expect(text.contains("planner_rejections_total{code=\"COOLDOWN_ACTIVE\"} 1\n"))
        #expect(text.contains("planner_target_weight_bps{adapter=\"0xA\",name=\"say \\\"hi\\\"\"} 2500\n"))
        #expect(text.contains("planner_last_cycle_duration_seconds 0.25\n"))
        #expect(text.contains("planner_kill_switch_engagements_total 0\n"))
        metrics.reset("planner_target_weight_bps")
        #expect(!metrics.render().contains("planner_target_weight_bps{"))
    }

    @Test func theServerAnswersOnLoopbackOnly() throws {
        let metrics = PlannerMetrics()
        metrics.increment("planner_cycles_total")
        let server = try MetricsServer(port: 0, metrics: metrics)
        defer { server.stop() }
        let answer = try HTTPGet.fetch(port: Int(server.port), path: "/metrics")
        #expect(answer.status == 200)
        #expect(answer.body.contains("planner_cycles_total 1\n"))
        #expect(try HTTPGet.fetch(port: Int(server.port), path: "/").status == 404)
    }
}
