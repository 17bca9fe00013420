using System.Net;
using Kindred.Core.Inner;
using Kindred.Hosting;
using Kindred.Memory.Knowledge;
using Kindred.Server.Accounts;
using Kindred.Server.Clustering;
using Kindred.Server.Companions;
using Kindred.Server.Inner;
using Kindred.Server.OpenAi;
using Kindred.Server.Telemetry;
using Kindred.Server.Voice;
using Kindred.Server.WebApp;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Kindred.Server;

/// <summary>
/// Builds the Kindred server: ASP.NET Core and a Microsoft Orleans silo in one process, localhost clustering (or
/// ADO.NET clustering on PostgreSQL for several silos), one shared model for every companion on the silo.
/// </summary>
public static class KindredServer
{
    /// <summary>Builds (does not start) the server. Options are validated here, so a bad one fails before anything listens.</summary>
    /// <param name="configureLogging">Lets the caller choose where logs go (the CLI keeps them off the console).</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static async Task<WebApplication> BuildAsync(ServerOptions options, CompanionBackend backend, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(backend);
        options.Validate();
        backend.Companion.Validate();
        var accounts = await AccountStore.OpenAsync(backend.StoreSettings, backend.DataDirectory, TimeProvider.System, cancellationToken).ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(KindredServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.Address), options.Port));

        if (options.ClustersOnPostgres)
        {
            await PostgresClusteringSchema.EnsureAsync(options.ClusteringConnectionString!, cancellationToken).ConfigureAwait(false);
        }

        builder.UseOrleans(silo =>
        {
            if (options.ClustersOnPostgres)
            {
                silo.UseAdoNetClustering(adoNet =>
                {
                    adoNet.Invariant = "Npgsql";
                    adoNet.ConnectionString = options.ClusteringConnectionString;
                });
                silo.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
                silo.ConfigureEndpoints(IPAddress.Parse(options.SiloAddress), options.SiloPort, options.GatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }

            silo.Configure<GrainCollectionOptions>(collection => collection.CollectionAge = TimeSpan.FromMinutes(options.CompanionIdleMinutes));
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(options.CompanionCallTimeoutSeconds));
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(backend);
        services.AddKindredTelemetry(options);
        services.AddSingleton(accounts);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CompanionMetrics>();
        services.AddSingleton<ServerVoices>();
        services.AddKindredLife(new LifeParts(
            backend.Store,
            backend.Memory,
            backend.Chat,
            backend.Tokens,
            backend.Companion,
            backend.Inner ?? new InnerLifeOptions(),
            backend.Extractor ?? new BuiltInExtractor(),
            backend.Clock ?? TimeProvider.System));
        services.AddKindredInnerLife();

        services.AddProblemDetails();
        services.AddExceptionHandler<BusyExceptionHandler>();
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddKindredRateLimits(options);
        services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            // The document is committed; the address a test server happened to listen on must not end up in it.
            document.Servers = [];
            document.Info.Title = "Kindred";
            document.Info.Version = "v1";
            return Task.CompletedTask;
        }));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebApp();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi();
        app.MapAccounts();
        app.MapCompanions();
        app.MapKnowledge();
        app.MapOpenAi();
        app.MapInnerLife();
        app.MapVoice();
        app.Lifetime.ApplicationStopped.Register(accounts.Dispose);
        return app;
    }

    /// <summary>The address the started server listens on (useful when <see cref="ServerOptions.Port"/> was 0).</summary>
    public static Uri ListeningAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }
}

/// <summary>Ready once the silo has started and can place grains.</summary>
internal sealed class SiloReadyCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Starting."));
}
