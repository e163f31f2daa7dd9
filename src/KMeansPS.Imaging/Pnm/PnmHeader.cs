namespace KMeansPS.Imaging.Pnm;

/// <summary>
/// The header of a PBM, PGM or PPM as <see cref="PnmSyntax"/> reads it, for the structure check
/// (<see cref="Integrity.PnmScanner"/>) and our decoder (<see cref="PnmDecoder"/>) alike.
/// </summary>
/// <param name="Kind">'1' to '6', the digit after 'P'.</param>
/// <param name="Width">Columns as written (not yet checked against any bound).</param>
/// <param name="Height">Rows as written.</param>
/// <param name="MaxValue">The maximum sample value; 1 for a bitmap.</param>
/// <param name="RasterSpecStart">Where the specification's raster starts: after the one whitespace byte that ends the header.</param>
/// <param name="RasterStart">Where ImageSharp 2.1 starts it: after all whitespace and comments there (the end of the file when only those follow).</param>
internal sealed record PnmHeader(char Kind, long Width, long Height, long MaxValue, int RasterSpecStart, int RasterStart)
{
    public bool Plain => Kind <= '3';

    public bool Bitmap => Kind is '1' or '4';

    public int Channels => Kind is '3' or '6' ? 3 : 1;

    /// <summary>
    /// A file ImageSharp 2.1 misreads, so <see cref="PnmDecoder"/> reads it: a PGM or PPM of a maximum other than 255
    /// (byte order, scaling), a binary file whose raster starts with a byte ImageSharp skips as header whitespace
    /// or comment (9, 10, 13, 32, '#'), which would shift every pixel, and a header with a comment right after a number.
    /// </summary>
    public bool OwnDecoder => (!Bitmap && MaxValue != 255) || (!Plain && RasterStart != RasterSpecStart) || CommentAfterNumber;

    /// <summary>A comment right after a header number ("3#x"), which ImageSharp 2.1 takes for the next number.</summary>
    public bool CommentAfterNumber { get; private init; }

    /// <summary>The header of a file that starts 'P1' to 'P6'; null when the file ends inside it.</summary>
    public static PnmHeader? Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 3 || file[0] != 'P' || file[1] is < (byte)'1' or > (byte)'6') return null;
        char kind = (char)file[1];
        int p = 2;
        if (!PnmSyntax.SkipWhitespaceAndComments(file, ref p) || !PnmSyntax.ReadDecimal(file, ref p, out long width, out bool c1)
            || !PnmSyntax.SkipWhitespaceAndComments(file, ref p) || !PnmSyntax.ReadDecimal(file, ref p, out long height, out bool c2))
            return null;
        bool commentAfterNumber = c1 || c2;
        int specStart = p; // the specification's raster starts after the one whitespace byte ReadDecimal took
        // A bitmap's header is whole here: what follows is raster, even when it is all whitespace (a row of 0x20).
        bool more = PnmSyntax.SkipWhitespaceAndComments(file, ref p);
        long maxValue = 1;
        if (kind is not ('1' or '4'))
        {
            if (!more || !PnmSyntax.ReadDecimal(file, ref p, out maxValue, out bool c3)) return null;
            commentAfterNumber |= c3;
            specStart = p;
            PnmSyntax.SkipWhitespaceAndComments(file, ref p);
        }
        return new PnmHeader(kind, width, height, maxValue, specStart, p) { CommentAfterNumber = commentAfterNumber };
    }
}
