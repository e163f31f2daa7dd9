using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>A file the scanner must not pass as intact, and why.</summary>
/// <param name="Name">Says what is odd about it.</param>
/// <param name="Bytes">The file.</param>
/// <param name="Expected">The verdict the scanner must give.</param>
/// <param name="ReasonFragment">Words the reason must contain.</param>
/// <param name="Reference">
/// An equivalent file ImageSharp reads right, for showing that it misreads this one; null when ImageSharp must
/// throw on it (or, for files it would hang on, when it is not asked).
/// </param>
internal sealed record QuirkFile(string Name, byte[] Bytes, IntegrityVerdict Expected, string ReasonFragment, byte[]? Reference = null)
{
    public override string ToString() => Name;
}
