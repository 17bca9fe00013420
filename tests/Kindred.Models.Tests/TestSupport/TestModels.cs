namespace Kindred.Models.Tests.TestSupport;

/// <summary>Finds the real model files kept beside the repository (never inside it) in <c>../shared/models</c>.</summary>
internal static class TestModels
{
    private static readonly Lazy<string> Stories260K = new(() => FindShared(Path.Combine("models", "stories260K.gguf")));

    /// <summary>Full path of <c>stories260K.gguf</c>: a real 1.1 MB llama model (GGUF v3, 48 F32 tensors, 512-token vocabulary).</summary>
    public static string Stories260KPath => Stories260K.Value;

    // Walking up from the test's output folder reaches the folder that holds both the clone and shared/,
    // wherever the clone sits (a developer's checkout, a CI work folder).
    private static string FindShared(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"Test data 'shared/{relativePath.Replace('\\', '/')}' was not found in any folder above {AppContext.BaseDirectory}; " +
            "it belongs in a 'shared' folder beside the repository clone.");
    }
}
