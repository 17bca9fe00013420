using Kindred.Core;
using Kindred.Memory;
using Kindred.Models.Local;
using Kindred.Models.Remote;

namespace Kindred.Cli.Configuration;

/// <summary>
/// Everything the kindred command can be told, from (last wins) defaults, the config file, KINDRED_* environment
/// variables and command-line options.
/// </summary>
public sealed class KindredSettings
{
    /// <summary>The embedded model: a catalog name or a GGUF path (default: the catalog's default chat model).</summary>
    public LocalModelOptions Model { get; set; } = new() { MaxConcurrentSequences = 1 };

    /// <summary>An OpenAI-compatible endpoint; when its Endpoint is set it is used instead of the embedded model.</summary>
    public RemoteModelOptions Remote { get; set; } = new();

    /// <summary>How <c>kindred serve</c> listens, clusters and limits callers.</summary>
    public Kindred.Server.ServerOptions Server { get; set; } = new();

    /// <summary>How the companion replies.</summary>
    public CompanionOptions Companion { get; set; } = new();

    /// <summary>The companion's inner life: turn appraisal and the person's default time zone.</summary>
    public Kindred.Core.Inner.InnerLifeOptions Inner { get; set; } = new();

    /// <summary>Which companion to talk to (default "default"); one data folder can hold several.</summary>
    public string CompanionId { get; set; } = "default";

    /// <summary>
    /// When no model is named and the default one is not on disk yet, <c>kindred chat</c> downloads it first
    /// (default true). Set false on machines that must never reach the network.
    /// </summary>
    public bool DownloadDefaultModel { get; set; } = true;

    /// <summary>Where memory is kept: SQLite in the data folder (default) or PostgreSQL (Provider "postgres" and a ConnectionString).</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>True when a remote endpoint is configured.</summary>
    public bool UsesRemote => !string.IsNullOrWhiteSpace(Remote.Endpoint);

    /// <summary>Checks every value; the message names the option and where to set it.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(CompanionId) || CompanionId.Length > 64 || !CompanionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"CompanionId must be 1–64 letters, digits, '-' or '_' (was '{CompanionId}').");
        }

        Section(nameof(Companion), Companion.Validate);
        Section(nameof(Store), Store.Validate);
        Section(nameof(Inner), () => Kindred.Core.Inner.LocalClock.FindZone(Inner.TimeZoneId));
        if (UsesRemote)
        {
            Section(nameof(Remote), Remote.Validate);
        }
        else
        {
            // The path is resolved later: it may be a catalog name.
            Section(nameof(Model), Model.ValidateLimits);
        }
    }

    // Option classes name the option; the person also needs its section to find it in kindred.json or KINDRED_*.
    private static void Section(string name, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Invalid {name} setting: {ex.Message}", ex);
        }
    }
}
