namespace Kindred.Testing;

/// <summary>
/// Finds the real model files kept beside the repository (never inside it), in <c>shared/models</c>: walking up
/// from the running assembly reaches the folder that holds both the clone and <c>shared/</c>, wherever the clone
/// sits (a developer's checkout, a CI work folder). Linked into the test and benchmark projects.
/// </summary>
internal static class SharedModels
{
    private static readonly Lazy<string> Stories = new(() => Find(Path.Combine("models", "stories260K.gguf")));

    /// <summary>Full path of <c>stories260K.gguf</c>: a real 1.1 MB llama model (GGUF v3, 48 F32 tensors, 512-token vocabulary).</summary>
    public static string Stories260K => Stories.Value;

    private static string Find(string relativePath)
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
            $"'shared/{relativePath.Replace('\\', '/')}' was not found in any folder above {AppContext.BaseDirectory}; " +
            "it belongs in a 'shared' folder beside the repository clone.");
    }
}
