namespace KMeansPS.Imaging.Integrity;

/// <summary>Products of declared sizes, which may be absurd: they stop at long.MaxValue instead of wrapping.</summary>
internal static class Saturating
{
    public static long Multiply(long a, long b)
    {
        if (a <= 0 || b <= 0) return 0;
        return a > long.MaxValue / b ? long.MaxValue : a * b;
    }

    public static long Multiply(long a, long b, long c) => Multiply(Multiply(a, b), c);

    public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
