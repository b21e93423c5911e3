from meetlat.cli import main

main()
