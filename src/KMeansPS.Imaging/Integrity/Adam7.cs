namespace KMeansPS.Imaging.Integrity;

/// <summary>PNG's Adam7 interlacing: where each of the seven passes starts and how far apart its pixels are.</summary>
internal static class Adam7
{
    private static ReadOnlySpan<byte> Passes => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    /// <summary>Pass <paramref name="pass"/> (0 to 6): its first column and row, and the steps between its columns and rows.</summary>
    public static (int X0, int Y0, int Dx, int Dy) Pass(int pass)
    {
        ReadOnlySpan<byte> a = Passes.Slice(pass * 4, 4);
        return (a[0], a[1], a[2], a[3]);
    }

    /// <summary>The columns and rows pass <paramref name="pass"/> holds of a <paramref name="width"/> x <paramref name="height"/> image (either 0: an empty pass, with no filter bytes).</summary>
    public static (long Columns, long Rows) Size(int pass, long width, long height)
    {
        (int x0, int y0, int dx, int dy) = Pass(pass);
        return (width > x0 ? (width - x0 + dx - 1) / dx : 0, height > y0 ? (height - y0 + dy - 1) / dy : 0);
    }
}
