namespace Kindred.Cli.Tests.TestSupport;

/// <summary>Finds the real model kept beside the repository (never inside it), in ../shared/models.</summary>
internal static class SharedModels
{
    private static readonly Lazy<string> Stories = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", "stories260K.gguf");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"shared/models/stories260K.gguf was not found above {AppContext.BaseDirectory}.");
    });

    public static string Stories260K => Stories.Value;
}
