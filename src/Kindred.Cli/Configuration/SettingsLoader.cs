using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Kindred.Cli.Configuration;

/// <summary>Reads settings from the config file and the environment, with messages a person can act on.</summary>
public static class SettingsLoader
{
    /// <summary>Environment variables with this prefix are settings, '__' separating sections: KINDRED_MODEL__THREADS=2.</summary>
    public const string EnvironmentPrefix = "KINDRED_";

    /// <summary>The config file's name inside the data folder.</summary>
    public const string ConfigFileName = "kindred.json";

    /// <summary>
    /// Loads settings: defaults, then <paramref name="configFile"/> (or kindred.json in the data folder, if it
    /// exists), then KINDRED_* environment variables.
    /// </summary>
    /// <exception cref="ArgumentException">The config file is missing (when named explicitly), malformed, or holds a value of the wrong type.</exception>
    public static KindredSettings Load(string dataDirectory, string? configFile)
    {
        var path = configFile ?? Path.Combine(dataDirectory, ConfigFileName);
        if (configFile is not null && !File.Exists(configFile))
        {
            throw new ArgumentException($"Config file not found: {configFile}");
        }

        var builder = new ConfigurationBuilder();
        if (File.Exists(path))
        {
            CheckJson(path);
            builder.AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        var configuration = builder.Build();
        var settings = new KindredSettings();
        try
        {
            configuration.Bind(settings, o => o.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the value it could not convert.
            throw new ArgumentException($"Invalid setting in {Describe(path)} or KINDRED_* environment: {ex.Message}", ex);
        }

        return settings;
    }

    /// <summary>The data folder: the option, else KINDRED_DATA_DIR, else the user's data folder.</summary>
    public static string ResolveDataDirectory(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Path.GetFullPath(option);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentPrefix + "DATA_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "kindred");
    }

    // The JSON provider's own error names neither line nor file clearly; System.Text.Json does.
    private static void CheckJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The config file {path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).", ex);
        }
    }

    private static string Describe(string path) => File.Exists(path) ? path : "the settings";
}
