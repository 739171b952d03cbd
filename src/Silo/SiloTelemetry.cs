using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VideoNas.Core.Telemetry;

namespace VideoNas.Silo;

/// <summary>
/// OpenTelemetry for a silo: VideoNas' and Orleans' meters and traces, a Prometheus scrape endpoint on
/// <c>VideoNas:MetricsPort</c> (<c>/metrics</c>), and OTLP export when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the other OTEL_* variables apply as usual).
/// </summary>
public static class SiloTelemetry
{
    public static readonly string[] Meters = [VideoNasTelemetry.Name, "Microsoft.Orleans"];
    public static readonly string[] Sources = [VideoNasTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static void AddVideoNasTelemetry(this IHostApplicationBuilder builder, IConfigurationSection section)
    {
        int? metricsPort = section.GetValue<int?>("MetricsPort");
        bool otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (metricsPort is null && !otlp) return;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("videonas-silo", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(m =>
            {
                m.AddMeter(Meters);
                if (metricsPort is { } port)
                {
                    m.AddPrometheusHttpListener(o =>
                    {
                        o.Port = port;
                        // The options take one host name; scrapers reach a silo by its pod or machine address, so listen on all.
                        o.ConfigureHttpListener = (_, listener) =>
                        {
                            listener.Prefixes.Clear();
                            listener.Prefixes.Add($"http://*:{port}/");
                        };
                    });
                }
            });
        if (otlp) telemetry.WithTracing(t => t.AddSource(Sources)).UseOtlpExporter();
    }
}
