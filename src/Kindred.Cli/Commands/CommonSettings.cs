using System.ComponentModel;
using Kindred.Cli.Configuration;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary>Options every command understands.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--data-dir <DIR>")]
    [Description("Where Kindred keeps its database, models and config (default: KINDRED_DATA_DIR, else the user's data folder).")]
    public string? DataDirectory { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("A JSON config file (default: kindred.json in the data folder, when present).")]
    public string? ConfigFile { get; init; }

    [CommandOption("--companion <ID>")]
    [Description("Which companion (default: 'default').")]
    public string? CompanionId { get; init; }

    /// <summary>Settings from file and environment, with this command's options on top, validated.</summary>
    public (KindredSettings Settings, string DataDirectory) Resolve()
    {
        var dataDirectory = SettingsLoader.ResolveDataDirectory(DataDirectory);
        var settings = SettingsLoader.Load(dataDirectory, ConfigFile);
        if (!string.IsNullOrWhiteSpace(CompanionId))
        {
            settings.CompanionId = CompanionId;
        }

        Apply(settings);
        settings.Validate();
        return (settings, dataDirectory);
    }

    /// <summary>Lets a command put its own options over the loaded settings.</summary>
    protected virtual void Apply(KindredSettings settings)
    {
    }
}
