using System.Net;

namespace Kindred.Server;

/// <summary>How the server listens, clusters and limits its callers. Every default runs on one machine with no configuration.</summary>
public sealed class ServerOptions
{
    /// <summary>The address HTTP listens on (default 127.0.0.1: nothing outside this machine can reach it).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The HTTP port (default 5117; 0 picks a free one).</summary>
    public int Port { get; set; } = 5117;

    /// <summary>The Orleans silo-to-silo port (default 11111). Every silo on one machine needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The Orleans client gateway port (default 30000). Every silo on one machine needs its own.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The Orleans cluster id (default "kindred").</summary>
    public string ClusterId { get; set; } = "kindred";

    /// <summary>The Orleans service id (default "kindred"); it must stay the same across restarts.</summary>
    public string ServiceId { get; set; } = "kindred";

    /// <summary>
    /// How silos find each other: "localhost" (default: one silo, nothing to set up) or "postgres" (Orleans ADO.NET
    /// clustering in <see cref="ClusteringConnectionString"/>'s database, for several silos; Kindred creates its tables).
    /// </summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary>The PostgreSQL database silos meet in when <see cref="Clustering"/> is "postgres" (it may be the store's).</summary>
    public string? ClusteringConnectionString { get; set; }

    /// <summary>The address other silos reach this one at when clustering on PostgreSQL (default 127.0.0.1).</summary>
    public string SiloAddress { get; set; } = "127.0.0.1";

    /// <summary>True when silos meet in PostgreSQL.</summary>
    public bool ClustersOnPostgres => string.Equals(Clustering, "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Minutes a companion stays active with nothing to do before its grain is deactivated (default 15, range 1–1440).</summary>
    public int CompanionIdleMinutes { get; set; } = 15;

    /// <summary>Requests one account may make per minute on the API (default 120, range 1–100000).</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>Sign-ups and sign-ins one address may attempt per minute (default 30, range 1–100000): slows password guessing.</summary>
    public int SignInsPerMinute { get; set; } = 30;

    /// <summary>Days a sign-in token stays valid unless revoked (default 30, range 1–365).</summary>
    public int TokenLifetimeDays { get; set; } = 30;

    /// <summary>Seconds a client told the model is busy should wait (the Retry-After header; default 2, range 1–600).</summary>
    public int BusyRetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// Seconds one call into a companion may take before it fails (default 600, range 10–3600). A turn waits here
    /// while the model's queue drains, so under a burst of people it must outlast the queue, not Orleans' default
    /// 30 seconds; a client that gives up sooner simply closes its connection.
    /// </summary>
    public int CompanionCallTimeoutSeconds { get; set; } = 600;

    /// <summary>The longest message a person may send, in characters (default 8000, range 1–100000).</summary>
    public int MaxMessageLength { get; set; } = 8000;

    /// <summary>
    /// Seconds between looks at the store for outreach due to a connected person that another silo scheduled (default 60,
    /// range 1–86400). What this silo schedules is delivered on time regardless.
    /// </summary>
    public int OutreachRecheckSeconds { get; set; } = 60;

    /// <summary>
    /// An OpenTelemetry collector to send traces and metrics to over OTLP (e.g. "http://127.0.0.1:4317"); unset (the
    /// default) keeps them in the process.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    internal Uri? OtlpEndpointUri => string.IsNullOrWhiteSpace(OtlpEndpoint) ? null : new Uri(OtlpEndpoint, UriKind.Absolute);

    /// <summary>Checks every value; the message names the option.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (!IPAddress.TryParse(Address, out _))
        {
            throw new ArgumentException($"Server.Address must be an IP address such as 127.0.0.1 or 0.0.0.0 (was '{Address}').");
        }

        Range(nameof(Port), Port, 0, 65535);
        Range(nameof(SiloPort), SiloPort, 1, 65535);
        Range(nameof(GatewayPort), GatewayPort, 1, 65535);
        if (SiloPort == GatewayPort)
        {
            throw new ArgumentException($"Server.SiloPort and Server.GatewayPort must differ (both were {SiloPort}).");
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            throw new ArgumentException("Server.ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new ArgumentException("Server.ServiceId must not be empty.");
        }

        if (!ClustersOnPostgres && !string.Equals(Clustering, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Server.Clustering must be 'localhost' or 'postgres' (was '{Clustering}').");
        }

        if (ClustersOnPostgres && string.IsNullOrWhiteSpace(ClusteringConnectionString))
        {
            throw new ArgumentException("Server.ClusteringConnectionString must name a PostgreSQL database when Server.Clustering is 'postgres'.");
        }

        if (!IPAddress.TryParse(SiloAddress, out _))
        {
            throw new ArgumentException($"Server.SiloAddress must be an IP address (was '{SiloAddress}').");
        }

        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var otlp) || otlp.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"Server.OtlpEndpoint must be an http or https address of an OpenTelemetry collector (was '{OtlpEndpoint}').");
        }

        Range(nameof(CompanionIdleMinutes), CompanionIdleMinutes, 1, 1440);
        Range(nameof(RequestsPerMinute), RequestsPerMinute, 1, 100_000);
        Range(nameof(SignInsPerMinute), SignInsPerMinute, 1, 100_000);
        Range(nameof(TokenLifetimeDays), TokenLifetimeDays, 1, 365);
        Range(nameof(BusyRetryAfterSeconds), BusyRetryAfterSeconds, 1, 600);
        Range(nameof(MaxMessageLength), MaxMessageLength, 1, 100_000);
        Range(nameof(OutreachRecheckSeconds), OutreachRecheckSeconds, 1, 86_400);
        Range(nameof(CompanionCallTimeoutSeconds), CompanionCallTimeoutSeconds, 10, 3600);
    }

    private static void Range(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"Server.{name} must be between {min} and {max} (was {value}).");
        }
    }
}
