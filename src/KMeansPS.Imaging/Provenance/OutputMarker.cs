using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KMeansPS.Imaging.Provenance;

/// <summary>
/// The record Compress-ImageKMeans writes into every file it makes (a PNG tEXt chunk with keyword
/// <see cref="Keyword"/>, a GIF comment starting with <see cref="GifCommentPrefix"/>), so a rerun recognises its own
/// outputs and outputs that are already up to date. It holds no path: the same source and settings give the same bytes
/// wherever the file is. Text form (version 1, ASCII): <c>v=1;tool=0.1.0;source=sha256:32HEX;seed=N;settings=k=64,...</c>.
/// </summary>
internal sealed record OutputMarker(string Tool, string SourceHash, long Seed, string Settings)
{
    /// <summary>The tEXt keyword (and the GIF comment's first word).</summary>
    public const string Keyword = "KMeansPS";

    /// <summary>What a GIF comment holding a marker starts with.</summary>
    public const string GifCommentPrefix = Keyword + ":";

    /// <summary>The record format written; a reader that meets another still knows the file as the module's own.</summary>
    public const int FormatVersion = 1;

    /// <summary>Longest marker text read back (a real one is about 200 characters).</summary>
    public const int MaxTextLength = 2048;

    /// <summary>The record as written into a file.</summary>
    public string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"v={FormatVersion};tool={Tool};source={SourceHash};seed={Seed};settings={Settings}");

    /// <summary>The record back from <see cref="ToText"/>; null when the text is not a version-1 record.</summary>
    public static OutputMarker? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in text.Split(';'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return null;
            if (!fields.TryAdd(part[..eq], part[(eq + 1)..])) return null;
        }
        if (!fields.TryGetValue("v", out string? v) || v != "1") return null;
        if (!fields.TryGetValue("tool", out string? tool) || !fields.TryGetValue("source", out string? source)
            || !fields.TryGetValue("seed", out string? seedText) || !fields.TryGetValue("settings", out string? settings)) return null;
        if (!long.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed)) return null;
        return new OutputMarker(tool, source, seed, settings);
    }

    /// <summary>A file's content hash as the marker records it: SHA-256, the first 128 bits in upper-case hex.</summary>
    public static string HashBytes(ReadOnlySpan<byte> file) => "sha256:" + Convert.ToHexString(SHA256.HashData(file).AsSpan(0, 16));

    /// <summary>As <see cref="HashBytes"/>, reading the file at <paramref name="path"/>.</summary>
    public static string HashFile(string path, CancellationToken cancellationToken = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, read);
        }
        return "sha256:" + Convert.ToHexString(sha.GetHashAndReset().AsSpan(0, 16));
    }

    /// <summary>The tEXt chunk's data: keyword, a zero byte, the text (Latin-1; the record is ASCII).</summary>
    internal byte[] ToPngTextData() => Encoding.Latin1.GetBytes(Keyword + "\0" + ToText());
}
