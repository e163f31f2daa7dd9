# Scheduled batch jobs get interrupted: PowerShell.Stop() (Ctrl+C, Stop-Job), a downstream that ends early
# (Select-Object -First) or fails, a timeout's SIGTERM then SIGKILL, a full disk. Each kind is tried at seeded random
# points of a batch of several formats and sizes, and every time the trust rules are checked: an output that exists is
# whole and marked, a figure sits only beside its own run's output, no temporary file after a graceful stop (a killed
# run's are recognisable and the next run neither reads nor trips over them), sources unchanged, the pair mutex free,
# nothing changes on disk once the stop has returned, and a rerun finishes the rest without compressing its outputs.
# KMEANSPS_INTERRUPT_SEED picks other points; KMEANSPS_INTERRUPT_SCALE multiplies the trials (tests/soak/Interruption.ps1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = (Resolve-Path (Get-KMeansPSModulePath)).Path
    Import-Module $script:ModulePath -Force
    if (-not ('InterruptionImages' -as [type])) {
        Add-Type -Path (Join-Path $PSScriptRoot 'InterruptionHelpers.cs')
    }
    $script:Seed = if ($env:KMEANSPS_INTERRUPT_SEED) { [int] $env:KMEANSPS_INTERRUPT_SEED } else { 20261208 }
    $script:Scale = if ($env:KMEANSPS_INTERRUPT_SCALE) { [int] $env:KMEANSPS_INTERRUPT_SCALE } else { 1 }
    $script:Random = [Random]::new($script:Seed)
    $script:Report = [Collections.Generic.List[string]]::new()
    $script:PairLockName = (Get-Module KMeansPS).ImplementingAssembly.GetType('KMeansPS.Bridge.OutputPairLock').GetMethod(
        'Name', [Reflection.BindingFlags] 'NonPublic, Static')

    # A fresh batch: 4 to 6 seeded sources of png, ppm, bmp, tga and jpeg, 40 to 200 pixels a side, one of 360x280.
    function New-Batch([string] $Name) {
        $src = New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name) -Force
        $formats = 'png', 'ppm', 'bmp', 'tga', 'png', 'jpg', 'ppm'
        $count = $script:Random.Next(4, 7)
        for ($i = 0; $i -lt $count; $i++) {
            $ext = $formats[$i]
            $path = Join-Path $src "s$i.$ext"
            if ($ext -eq 'jpg') { Copy-Item -LiteralPath (Get-SampleImagePath) -Destination $path; continue }
            $w = $script:Random.Next(40, 200); $h = $script:Random.Next(40, 200)
            if ($i -eq 1) { $w = 360; $h = 280 }
            [InterruptionImages]::Write($path, $w, $h, $script:Random.Next())
        }
        $src.FullName
    }

    function Get-Hashes([string] $Folder) {
        $h = @{}
        foreach ($f in Get-ChildItem -LiteralPath $Folder -File -Force | Where-Object Name -notlike '.kmps.*') { $h[$f.Name] = (Get-FileHash -LiteralPath $f.FullName).Hash }
        $h
    }

    # Names and lengths of everything in the folders, hidden files included: compared before and after a wait.
    function Get-Listing([string[]] $Folders) {
        @(foreach ($d in $Folders | Select-Object -Unique) {
            if (Test-Path -LiteralPath $d) { Get-ChildItem -LiteralPath $d -Force -Recurse -File | ForEach-Object { "$($_.FullName):$($_.Length)" } }
        }) | Sort-Object
    }

    function Get-Temp([string[]] $Folders) {
        @(foreach ($d in $Folders | Select-Object -Unique) {
            if (Test-Path -LiteralPath $d) { Get-ChildItem -LiteralPath $d -Force -Recurse -File | Where-Object Name -like '.kmps.*' }
        })
    }

    # The module's files in a layout: outputs and figures (not the sources, not temporary files).
    function Get-Made([hashtable] $Run) {
        @(foreach ($d in $Run.Out, $Run.Cmp | Select-Object -Unique) {
            if (Test-Path -LiteralPath $d) {
                Get-ChildItem -LiteralPath $d -Force -File | Where-Object { $_.Name -notlike '.kmps.*' -and -not $Run.Sources.ContainsKey($_.Name) }
            }
        })
    }

    # Every trust rule that holds at any moment; returns the faults found (strings naming the trial).
    function Test-Rules([hashtable] $Run, [string] $Trial, [switch] $AfterKill, [int] $KilledPid) {
        $faults = [Collections.Generic.List[string]]::new()
        foreach ($t in Get-Temp $Run.Out, $Run.Cmp, $Run.Src) {
            if (-not $AfterKill) { $faults.Add("$Trial temp file left: $($t.Name)"); continue }
            if ($t.Name -notmatch "^\.kmps\.$KilledPid\.[0-9a-f]{8}\.tmp$") { $faults.Add("$Trial unrecognisable leftover: $($t.Name)") }
        }
        $markers = @{}
        foreach ($f in Get-Made $Run) {
            $marker = $null
            $problem = [InterruptionImages]::Check($f.FullName, [ref] $marker)
            if ($problem) { $faults.Add("$Trial damaged output $($f.Name): $problem"); continue }
            $markers[$f.FullName] = $marker
        }
        foreach ($name in $Run.Sources.Keys) {
            $stem = [IO.Path]::GetFileNameWithoutExtension($name)
            $output = Join-Path $Run.Out "$stem-k$($Run.K).png"
            $figure = Join-Path $Run.Cmp "$stem-k$($Run.K)-comparison.png"
            if ($markers.ContainsKey($output) -and $markers.ContainsKey($figure) -and $markers[$output] -ne $markers[$figure]) {
                $faults.Add("$Trial figure of another run beside $stem's output")
            }
            if ($markers.ContainsKey($figure) -and -not (Test-Path -LiteralPath $output)) { $faults.Add("$Trial figure without its output: $stem") }
            # The pair lock of every output is free once the run is over (not held by a stopped worker).
            $mutex = [Threading.Mutex]::new($false, $script:PairLockName.Invoke($null, @([string] $output)))
            try {
                $taken = $false
                try { $taken = $mutex.WaitOne(0) } catch [Threading.AbandonedMutexException] { $taken = $true; if (-not $AfterKill) { $faults.Add("$Trial pair lock of $stem abandoned") } }
                if ($taken) { $mutex.ReleaseMutex() } else { $faults.Add("$Trial pair lock of $stem still held") }
            }
            finally { $mutex.Dispose() }
        }
        $now = Get-Hashes $Run.Src
        foreach ($name in $Run.Sources.Keys) { if ($now[$name] -ne $Run.Sources[$name]) { $faults.Add("$Trial source $name changed") } }
        $faults
    }

    # The batch command of a layout: outputs to their own folders, or beside the sources.
    function Get-BatchCommand([hashtable] $Run, [int] $Seed, [switch] $Force, [string] $Tail = '') {
        $where = if ($Run.Beside) { "-ComparisonPath '$($Run.Cmp)/'" } else { "-Destination '$($Run.Out)/' -ComparisonPath '$($Run.Cmp)/'" }
        "Get-ChildItem -LiteralPath '$($Run.Src)' -File | Compress-ImageKMeans -K $($Run.K) $where -Seed $Seed -ThrottleLimit $($Run.Throttle)" +
            $(if ($Force) { ' -Force' }) + " -ErrorAction SilentlyContinue -WarningAction SilentlyContinue$Tail"
    }

    function New-Run([string] $Name) {
        $src = New-Batch $Name
        $beside = $script:Random.Next(2) -eq 0
        $run = @{
            Src = $src; Beside = $beside
            Out = if ($beside) { $src } else { Join-Path $TestDrive "$Name-out" }
            Cmp = if ($beside) { $src } else { Join-Path $TestDrive "$Name-cmp" }
            K = (8, 16, 32, 64)[$script:Random.Next(4)]; Throttle = $script:Random.Next(1, 4)
        }
        $run.Sources = Get-Hashes $src
        # Half the runs replace an earlier complete run of another seed with -Force: a stop between an output and its
        # figure must not leave the old figure beside the new output.
        $run.Prefilled = $script:Random.Next(2) -eq 0
        if ($run.Prefilled) { $null = Invoke-Expression (Get-BatchCommand $run -Seed 11) }
        $run
    }

    # One warm session for the in-process trials, so each trial pays no import.
    $script:Session = [runspacefactory]::CreateRunspace()
    $script:Session.Open()
    $warm = [powershell]::Create(); $warm.Runspace = $script:Session
    $null = $warm.AddScript("Import-Module '$script:ModulePath'; `$ProgressPreference = 'SilentlyContinue'").Invoke(); $warm.Dispose()

    # Runs a batch in the warm session and interrupts it with $Interrupt (given the PowerShell and its async handle);
    # returns how long Stop() took, in ms (-1 when the batch ended first).
    function Invoke-Stopped([string] $Command, [int] $DelayMs, [string] $Until, [hashtable] $Run) {
        $ps = [powershell]::Create(); $ps.Runspace = $script:Session
        $null = $ps.AddScript($Command)
        $handle = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddMilliseconds($DelayMs)
        while (-not $handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
            if ($Until -eq 'temp' -and (Get-Temp $Run.Out, $Run.Cmp).Count -gt 0) { break }
            if ($Until -eq 'output' -and @(Get-Made $Run | Where-Object Name -notlike '*-comparison.png').Count -gt $Run.Seen) { break }
            Start-Sleep -Milliseconds 1
        }
        $stopMs = -1
        if (-not $handle.IsCompleted) {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopMs = $clock.ElapsedMilliseconds
        }
        try { $null = $ps.EndInvoke($handle) } catch { }
        $ps.Dispose()
        $stopMs
    }

    # After an interruption: the rules at once, nothing changing on disk afterwards, then a rerun over the source
    # folder as a scheduled job would list it (hidden files too) that finishes every source and reads no output.
    function Test-AfterInterrupt([hashtable] $Run, [string] $Trial, [switch] $AfterKill, [int] $KilledPid) {
        $faults = [Collections.Generic.List[string]]::new()
        $listing = Get-Listing $Run.Out, $Run.Cmp, $Run.Src
        foreach ($f in Test-Rules $Run $Trial -AfterKill:$AfterKill -KilledPid $KilledPid) { $faults.Add($f) }
        Start-Sleep -Milliseconds 400
        $later = Get-Listing $Run.Out, $Run.Cmp, $Run.Src
        if (-not $AfterKill -and (Compare-Object @($listing) @($later))) { $faults.Add("$Trial files changed after the stop returned: $((Compare-Object @($listing) @($later) | ForEach-Object { "$($_.SideIndicator)$($_.InputObject)" }) -join ', ')") }
        $rerunErrors = $null
        $where = if ($Run.Beside) { @{ ComparisonPath = "$($Run.Cmp)/" } } else { @{ Destination = "$($Run.Out)/"; ComparisonPath = "$($Run.Cmp)/" } }
        $rows = Get-ChildItem -LiteralPath $Run.Src -File -Force | Compress-ImageKMeans -K $Run.K @where -ThrottleLimit $Run.Throttle `
            -ErrorAction SilentlyContinue -ErrorVariable rerunErrors -WarningAction SilentlyContinue
        foreach ($e in $rerunErrors) { $faults.Add("$Trial rerun error: $($e.FullyQualifiedErrorId) $($e.Exception.Message)") }
        foreach ($r in $rows) {
            $name = [IO.Path]::GetFileName($r.Path)
            if ($r.Status -eq 'Written' -and -not $Run.Sources.ContainsKey($name)) { $faults.Add("$Trial rerun compressed $name, not a source") }
        }
        foreach ($name in $Run.Sources.Keys) {
            $stem = [IO.Path]::GetFileNameWithoutExtension($name)
            foreach ($p in (Join-Path $Run.Out "$stem-k$($Run.K).png"), (Join-Path $Run.Cmp "$stem-k$($Run.K)-comparison.png")) {
                if (-not (Test-Path -LiteralPath $p)) { $faults.Add("$Trial rerun left $([IO.Path]::GetFileName($p)) missing") }
            }
        }
        $expected = 2 * $Run.Sources.Count
        $made = @(Get-Made $Run)
        if ($made.Count -ne $expected) { $faults.Add("$Trial after the rerun $($made.Count) files were made, not $expected`: $($made.Name -join ', ')") }
        foreach ($f in Test-Rules $Run "$Trial (rerun)" -AfterKill:$AfterKill -KilledPid $KilledPid) { $faults.Add($f) }
        $faults
    }
}

AfterAll {
    if ($script:Session) { $script:Session.Dispose() }
    foreach ($line in $script:Report) { Write-Host "  $line" }
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'PowerShell.Stop() at seeded random points of a batch' {
    It 'leaves only whole, marked outputs, each figure beside its own output, nothing changing after Stop() returns, and a rerun that finishes' {
        $faults = [Collections.Generic.List[string]]::new()
        $stops = [Collections.Generic.List[long]]::new()
        $trials = 6 * $script:Scale
        for ($t = 0; $t -lt $trials; $t++) {
            $run = New-Run "stop$t"
            $run.Seen = $script:Random.Next(0, 3)
            # At a random time, when a temporary file appears (mid-write) or when an output is published (before its figure).
            $until = ('time', 'temp', 'output')[$t % 3]
            $delay = if ($until -eq 'time') { $script:Random.Next(0, 2500) } else { 15000 }
            $ms = Invoke-Stopped (Get-BatchCommand $run -Seed (100 + $t) -Force:$run.Prefilled) $delay $until $run
            if ($ms -ge 0) { $stops.Add($ms) }
            foreach ($f in Test-AfterInterrupt $run "stop #$t ($until, throttle $($run.Throttle), beside=$($run.Beside), prefilled=$($run.Prefilled))") { $faults.Add($f) }
        }
        $script:Report.Add("Stop(): $trials points, $($stops.Count) stopped mid-run, Stop() took $(($stops | Measure-Object -Maximum).Maximum) ms at most")
        $script:Report.Add("Stop() faults: $($faults.Count)")
        $faults | Should -BeNullOrEmpty
    }
}

Describe 'A downstream that ends the pipeline early' {
    It 'Select-Object -First n and a later stage that throws: the rest is not written, nothing partial, a rerun finishes' {
        $faults = [Collections.Generic.List[string]]::new()
        $trials = 4 * $script:Scale
        for ($t = 0; $t -lt $trials; $t++) {
            $run = New-Run "first$t"
            $n = $script:Random.Next(1, 4)
            $tail = if ($t % 2) { " | Select-Object -First $n" } else { " | ForEach-Object -Begin { `$seen = 0 } -Process { if (++`$seen -ge $n) { throw 'a later stage failed' }; `$_ }" }
            $command = Get-BatchCommand $run -Seed (200 + $t) -Force:$run.Prefilled -Tail $tail
            $ps = [powershell]::Create(); $ps.Runspace = $script:Session
            $null = $ps.AddScript($command)
            try { $null = $ps.Invoke() } catch { }
            $ps.Dispose()
            # Every result passed downstream is of a file done before the end; later sources were not written by this run.
            $written = @(Get-Made $run | Where-Object Name -notlike '*-comparison.png')
            if (-not $run.Prefilled -and $written.Count -gt $n) { $faults.Add("end #$t ($tail): $($written.Count) outputs for $n results taken") }
            foreach ($f in Test-AfterInterrupt $run "end #$t ($tail, throttle $($run.Throttle))") { $faults.Add($f) }
        }
        $script:Report.Add("downstream end: $trials points (Select-Object -First n, a throwing later stage)")
        $faults | Should -BeNullOrEmpty
    }
}

Describe 'A timeout that kills the process: SIGTERM, then SIGKILL' -Skip:$IsWindows {
    It 'SIGTERM leaves no temporary file, SIGKILL only recognisable ones that the next runs ignore and remove' {
        $faults = [Collections.Generic.List[string]]::new()
        $trials = 4 * $script:Scale
        $leftovers = 0
        for ($t = 0; $t -lt $trials; $t++) {
            $run = New-Run "kill$t"
            $signal = ('TERM', 'KILL')[$t % 2]
            $go = Join-Path $TestDrive "kill$t.go"
            $command = "Import-Module '$script:ModulePath'; `$ProgressPreference = 'SilentlyContinue'; `$null = New-Item -ItemType File '$go'; " + (Get-BatchCommand $run -Seed (300 + $t) -Force:$run.Prefilled) + ' | Out-Null'
            $child = Start-Process -FilePath (Get-ChildPwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $command -PassThru
            while (-not (Test-Path -LiteralPath $go) -and -not $child.HasExited) { Start-Sleep -Milliseconds 5 }
            $deadline = [DateTime]::UtcNow.AddMilliseconds($script:Random.Next(0, 2500))
            while ([DateTime]::UtcNow -lt $deadline -and -not $child.HasExited) { Start-Sleep -Milliseconds 2 }
            if (-not $child.HasExited) {
                & kill "-$signal" $child.Id
                # A timeout's second step: SIGKILL when SIGTERM has not ended it.
                if (-not $child.WaitForExit(10000)) { & kill -KILL $child.Id; $faults.Add("kill #$t SIGTERM did not end the process within 10 s") }
            }
            $child.WaitForExit()
            foreach ($f in Test-AfterInterrupt $run "kill #$t (SIG$signal)" -AfterKill:($signal -eq 'KILL') -KilledPid $child.Id) { $faults.Add($f) }
            # A killed run's leftovers, once quiet past a minute, go with the next run that writes there.
            $left = Get-Temp $run.Out, $run.Cmp
            if ($left) {
                $leftovers++
                foreach ($l in $left) { $l.LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-5) }
                Remove-Item -LiteralPath (Get-Made $run | Select-Object -First 1).FullName
                $where = if ($run.Beside) { @{} } else { @{ Destination = "$($run.Out)/" } }
                $null = Get-ChildItem -LiteralPath $run.Src -File -Force | Compress-ImageKMeans -K $run.K -ComparisonPath "$($run.Cmp)/" @where `
                    -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                if (Get-Temp $run.Out, $run.Cmp) { $faults.Add("kill #$t a stale leftover stayed after the next run") }
            }
        }
        $script:Report.Add("kill: $trials points (SIGTERM and SIGKILL of a child pwsh), $leftovers left temporary files that the next runs ignored and removed")
        $faults | Should -BeNullOrEmpty
    }
}

Describe 'Stop-Job' {
    It 'stops a job mid-batch with no temporary file and only whole outputs' {
        $faults = [Collections.Generic.List[string]]::new()
        $run = New-Run 'job'
        $go = Join-Path $TestDrive 'job.go'
        $command = "Import-Module '$script:ModulePath'; `$null = New-Item -ItemType File '$go'; " + (Get-BatchCommand $run -Seed 400 -Force:$run.Prefilled)
        $job = Start-Job -ScriptBlock ([scriptblock]::Create($command))
        while (-not (Test-Path -LiteralPath $go) -and $job.State -eq 'Running') { Start-Sleep -Milliseconds 5 }
        Start-Sleep -Milliseconds $script:Random.Next(0, 1500)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Stop-Job -Job $job
        $script:Report.Add("Stop-Job: 1 point, returned after $($clock.ElapsedMilliseconds) ms")
        Remove-Job -Job $job -Force
        foreach ($f in Test-AfterInterrupt $run 'Stop-Job') { $faults.Add($f) }
        $faults | Should -BeNullOrEmpty
    }
}

Describe 'A full disk' -Skip:(-not $IsLinux -or (& id -u) -ne '0') {
    It 'fails the files that do not fit with a write error and leaves no partial or temporary file' {
        $run = New-Run 'full'
        $run.Beside = $false
        $mount = Join-Path $TestDrive 'full-mnt'
        $null = New-Item -ItemType Directory -Path $mount
        & mount -t tmpfs -o 'size=4m' tmpfs $mount
        try {
            $run.Out = Join-Path $mount 'out'; $run.Cmp = Join-Path $mount 'cmp'
            $null = New-Item -ItemType Directory -Path $run.Out, $run.Cmp
            # Filled but for a seeded 0 to 96 KB, so the disk runs out somewhere in the batch (mid-output or mid-figure).
            $filler = [IO.File]::Create((Join-Path $mount 'filler'))
            $fill = [IO.DriveInfo]::new($mount).AvailableFreeSpace - $script:Random.Next(0, 96KB)
            $filler.Write([byte[]]::new($fill), 0, $fill); $filler.Dispose()   # written, not a sparse length
            $ps = [powershell]::Create(); $ps.Runspace = $script:Session
            $null = $ps.AddScript((Get-BatchCommand $run -Seed 500) -replace '-ErrorAction SilentlyContinue', '-ErrorAction Continue').Invoke()
            $full = @($ps.Streams.Error); $ps.Dispose()
            $script:Report.Add("disk full: $($full.Count) files failed to fit")
            $faults = @(Test-Rules $run 'disk full')
            $faults | Should -BeNullOrEmpty
            @($full | Where-Object { $_.CategoryInfo.Category -ne 'WriteError' }).FullyQualifiedErrorId | Should -BeNullOrEmpty
        }
        finally { & umount $mount }
    }
}

Describe 'Stopping a large image' {
    It 'Stop() during an 8000x8000 fit or encode returns, leaves nothing, and frees the pair lock' {
        $src = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'large') -Force
        [InterruptionImages]::WriteNoisePpm((Join-Path $src 'large.ppm'), 8000, 8000, $script:Seed)
        $run = @{ Src = $src.FullName; Out = Join-Path $TestDrive 'large-out'; Cmp = Join-Path $TestDrive 'large-cmp'; Beside = $false; K = 64; Throttle = 1 }
        $run.Sources = Get-Hashes $run.Src
        $delay = $script:Random.Next(300, 2500)
        $ms = Invoke-Stopped (Get-BatchCommand $run -Seed 600) $delay 'time' $run
        # Reported, not asserted (times depend on the machine): the CPU this process used in the second after Stop().
        $me = [Diagnostics.Process]::GetCurrentProcess(); $cpu = $me.TotalProcessorTime
        Start-Sleep -Seconds 1
        $me.Refresh()
        $script:Report.Add("8000x8000: stopped after $delay ms, Stop() took $ms ms, then $([int]($me.TotalProcessorTime - $cpu).TotalMilliseconds) ms of CPU in 1 s")
        @(Test-Rules $run '8000x8000') | Should -BeNullOrEmpty
        Remove-Item -LiteralPath $run.Src -Recurse -Force
    }
}

Describe 'PowerShell.Stop() of the other commands that write files' {
    It 'Measure-ImageKMeans -PlotPath and Invoke-KMeans | Export-ClusterPlot leave no temporary file, only whole plots, and nothing changing after Stop() returns' {
        $faults = [Collections.Generic.List[string]]::new()
        $trials = 4 * $script:Scale
        for ($t = 0; $t -lt $trials; $t++) {
            $run = @{ Src = New-Batch "plots$t"; Out = Join-Path $TestDrive "plots$t-out" }
            $null = New-Item -ItemType Directory -Path $run.Out
            $command = if ($t % 2) {
                "Get-ChildItem -LiteralPath '$($run.Src)' -File | Measure-ImageKMeans -K 4, 8, 16, 32 -Seed 1 -PlotPath '$($run.Out)/' -WarningAction SilentlyContinue"
            }
            else {
                "New-SyntheticClusterData -Count $($script:Random.Next(20000, 200000)) -Clusters 4 -Seed $t | Invoke-KMeans -K 4 -Seed 1 -PassThru | Export-ClusterPlot '$($run.Out)/plot.png' -WarningAction SilentlyContinue"
            }
            $null = Invoke-Stopped $command $script:Random.Next(0, 2000) 'time' $run
            $listing = Get-Listing $run.Out
            foreach ($tmp in Get-Temp $run.Out) { $faults.Add("plots #$t temp file left: $($tmp.Name)") }
            foreach ($f in Get-ChildItem -LiteralPath $run.Out -File -Force | Where-Object Name -notlike '.kmps.*') {
                $marker = $null
                if ($problem = [InterruptionImages]::Check($f.FullName, [ref] $marker)) { $faults.Add("plots #$t damaged plot $($f.Name): $problem") }
            }
            Start-Sleep -Milliseconds 400
            if (Compare-Object @($listing) @(Get-Listing $run.Out)) { $faults.Add("plots #$t files changed after the stop returned") }
        }
        $script:Report.Add("plots: $trials points (Measure-ImageKMeans -PlotPath, Export-ClusterPlot)")
        $faults | Should -BeNullOrEmpty
    }
}
