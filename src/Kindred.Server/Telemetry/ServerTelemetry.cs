using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kindred.Server.Telemetry;

/// <summary>
/// Traces and metrics for operators. The server always records them (an <see cref="ActivitySource"/> per turn, the
/// <see cref="CompanionMetrics.MeterName"/> meter); they leave the process only when <see cref="ServerOptions.OtlpEndpoint"/>
/// names an OpenTelemetry collector. Spans and measurements carry ids, counts and durations, never what anyone said.
/// </summary>
public static class ServerTelemetry
{
    /// <summary>The source of the server's own spans (one per companion turn).</summary>
    public const string SourceName = "Kindred.Server";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Exports traces and metrics over OTLP when an endpoint is configured; otherwise adds nothing.</summary>
    public static IServiceCollection AddKindredTelemetry(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OtlpEndpointUri is not { } endpoint)
        {
            return services;
        }

        // ASP.NET Core's instrumentation redacts query strings by default: a browser's ?access_token= and a memory
        // search's ?q= never reach a span.
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "kindred", serviceInstanceId: $"{options.SiloAddress}:{options.SiloPort}"))
            .WithTracing(tracing => tracing
                .AddSource(SourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(otlp => otlp.Endpoint = endpoint))
            .WithMetrics(metrics => metrics
                .AddMeter(CompanionMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(otlp => otlp.Endpoint = endpoint));
        return services;
    }
}
