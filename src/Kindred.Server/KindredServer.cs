using System.Net;
using Kindred.Server.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindred.Server;

/// <summary>
/// Builds the Kindred server: ASP.NET Core and a Microsoft Orleans silo in one process, localhost clustering (or
/// ADO.NET clustering on PostgreSQL for several silos), one shared model for every companion on the silo. This is the
/// table of contents; each part registers itself in <see cref="ServerExtensions"/>.
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
        await builder.AddKindredSiloAsync(options, cancellationToken).ConfigureAwait(false);
        builder.Services.AddKindredServer(options, backend, accounts);

        var app = builder.Build();
        app.MapKindred();
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
