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
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Kindred.Server;

/// <summary>The server's parts, each registered once: the silo, the services (the companions' life among them), the routes.</summary>
public static class ServerExtensions
{
    /// <summary>The Orleans silo: localhost clustering, or ADO.NET clustering on PostgreSQL (its tables made first).</summary>
    public static async Task AddKindredSiloAsync(this WebApplicationBuilder builder, ServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
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

    }

    /// <summary>Everything the routes and grains use: options, the companions' life (one wiring with the CLI), accounts, voices, auth, limits.</summary>
    public static IServiceCollection AddKindredServer(this IServiceCollection services, ServerOptions options, CompanionBackend backend, AccountStore accounts)
    {
        ArgumentNullException.ThrowIfNull(backend);
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

        return services;
    }

    /// <summary>The request pipeline and every route group.</summary>
    public static WebApplication MapKindred(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
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
        return app;
    }
}
