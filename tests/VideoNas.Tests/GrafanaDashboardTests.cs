using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VideoNas.Core.Telemetry;

namespace VideoNas.Tests;

public class GrafanaDashboardTests
{
    /// <summary>The name Prometheus shows for an instrument, as the OpenTelemetry exporter writes it.</summary>
    private static string PrometheusName(Instrument instrument)
    {
        string name = instrument.Name.Replace('.', '_');
        string unit = instrument.Unit switch { "s" => "_seconds", "By" => "_bytes", _ => "" };
        if (!name.EndsWith(unit, StringComparison.Ordinal)) name += unit;
        return instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) ? name + "_total" : name;
    }

    [Fact]
    public void EveryQueryNamesAMetricSilosExportAndEveryMetricHasAPanel()
    {
        var exported = typeof(VideoNasTelemetry).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<Instrument>().Select(PrometheusName).ToHashSet();
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(DeployFiles.Root, "deploy", "grafana", "videonas-dashboard.json")))!;
        var queried = dashboard["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]!.AsArray().Select(t => (string)t!["expr"]!))
            .SelectMany(e => Regex.Matches(e, @"videonas_[a-z_]+").Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", "")))
            .ToHashSet();

        Assert.Empty(queried.Except(exported));
        Assert.Empty(exported.Except(queried));
    }
}
