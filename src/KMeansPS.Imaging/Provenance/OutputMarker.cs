using System.Security.Cryptography;
using System.Text;

namespace KMeansPS.Imaging.Provenance;

/// <summary>
/// The record Compress-ImageKMeans writes into every file it makes (a PNG tEXt chunk with keyword
/// <see cref="Keyword"/>, a GIF comment starting with <see cref="GifCommentPrefix"/>), so a rerun recognises its own
/// outputs and outputs that are already up to date. It holds no path: the same source and settings give the same bytes
/// wherever the file is. Text forms (ASCII): <see cref="OutputMarkerText"/>.
/// </summary>
internal sealed record OutputMarker(string Tool, string SourceHash, long Seed, string Settings)
{
    /// <summary>The tEXt keyword (and the GIF comment's first word).</summary>
    public const string Keyword = "KMeansPS";

    /// <summary>What a GIF comment holding a marker starts with.</summary>
    public const string GifCommentPrefix = Keyword + ":";

    /// <summary>The record format written (version 1 is still read); a reader that meets another still knows the file as the module's own.</summary>
    public const int FormatVersion = 2;

    /// <summary>Longest marker text read back (a real one is about 50 characters, or 160 in version 1).</summary>
    public const int MaxTextLength = 2048;

    /// <summary>The record as written into a file (<see cref="OutputMarkerText"/>: version 2 when it fits, else 1).</summary>
    public string ToText() => OutputMarkerText.Format(this);

    /// <summary>The record back from <see cref="ToText"/> or from a version-1 text; null when the text is neither.</summary>
    public static OutputMarker? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return OutputMarkerText.Parse(text);
    }

    /// <summary>A file's content hash as the marker records it: SHA-256, the first 128 bits in upper-case hex.</summary>
    public static string HashBytes(ReadOnlySpan<byte> file) => "sha256:" + Convert.ToHexString(SHA256.HashData(file).AsSpan(0, 16));

    /// <summary>As <see cref="HashBytes"/>, reading the file at <paramref name="path"/>.</summary>
    public static string HashFile(string path, CancellationToken cancellationToken = default)
    {
        using FileStream stream = IO.RegularFileReader.Open(path, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
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
