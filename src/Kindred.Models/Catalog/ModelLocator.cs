using Kindred.Models.Gguf;

namespace Kindred.Models.Catalog;

/// <summary>Turns what a person passed as <c>--model</c> (a catalog name or a path) into a local model file.</summary>
public static class ModelLocator
{
    /// <summary>
    /// Resolves <paramref name="model"/>: an existing file wins; something shaped like a path (it contains a directory
    /// separator or ends in <c>.gguf</c>) must exist; otherwise it is a catalog name, or the name of a
    /// <c>&lt;name&gt;.gguf</c> file in <paramref name="modelsDirectory"/>.
    /// </summary>
    /// <returns>Full path of the model file. Its contents are not checked here; see <see cref="GgufValidator"/>.</returns>
    /// <exception cref="ModelFileException">The file does not exist, the catalog model is not downloaded yet, or the name is unknown; the message says what to do.</exception>
    public static string Resolve(string model, string modelsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        model = model.Trim();

        if (File.Exists(model))
        {
            return Path.GetFullPath(model);
        }

        if (LooksLikePath(model))
        {
            var fullPath = Path.GetFullPath(model);
            throw new ModelFileException(Directory.Exists(fullPath)
                ? $"'{fullPath}' is a folder; pass the GGUF file inside it with --model."
                : $"Model file not found: {fullPath}");
        }

        if (ModelCatalog.Find(model) is { } entry)
        {
            var path = Path.GetFullPath(Path.Combine(modelsDirectory, entry.FileName));
            if (File.Exists(path))
            {
                return path;
            }

            var state = File.Exists(path + ".part") ? "is only partly downloaded" : "is not downloaded yet";
            throw new ModelFileException(
                $"Model '{entry.Name}' {state}. Run `kindred model pull {entry.Name}` to download it " +
                $"({entry.SizeBytes / 1_000_000.0:N0} MB), or pass a local GGUF file with --model /path/to/model.gguf.");
        }

        var local = Path.GetFullPath(Path.Combine(modelsDirectory, model + ".gguf"));
        if (File.Exists(local))
        {
            return local;
        }

        throw new ModelFileException(
            $"Unknown model '{model}'. Known models: {string.Join(", ", ModelCatalog.All.Select(e => e.Name))}; " +
            "or pass the path of a GGUF file with --model /path/to/model.gguf.");
    }

    /// <summary>
    /// Every catalog model (installed or not, in catalog order) followed by the other <c>*.gguf</c> files in
    /// <paramref name="modelsDirectory"/> sorted by name. A missing folder yields the catalog models, none installed.
    /// </summary>
    public static IReadOnlyList<InstalledModel> ListInstalled(string modelsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        var models = new List<InstalledModel>();
        foreach (var entry in ModelCatalog.All)
        {
            var file = new FileInfo(Path.GetFullPath(Path.Combine(modelsDirectory, entry.FileName)));
            models.Add(new InstalledModel(entry.Name, file.FullName, file.Exists, file.Exists ? file.Length : entry.SizeBytes, entry));
        }

        var directory = new DirectoryInfo(Path.GetFullPath(modelsDirectory));
        if (!directory.Exists)
        {
            return models;
        }

        var catalogFiles = ModelCatalog.All.Select(e => e.FileName).ToHashSet(StringComparer.Ordinal);
        models.AddRange(directory.EnumerateFiles("*.gguf")
            .Where(f => f.Extension.Equals(".gguf", StringComparison.OrdinalIgnoreCase) && !catalogFiles.Contains(f.Name))
            .OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .Select(f => new InstalledModel(Path.GetFileNameWithoutExtension(f.Name), f.FullName, IsInstalled: true, f.Length, CatalogEntry: null)));
        return models;
    }

    private static bool LooksLikePath(string model) =>
        model.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || model.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal)
        || model.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);
}
