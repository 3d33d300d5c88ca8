-- wrk script: the reporter's follow-up GET with a token from the environment.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BISIK_TOKEN")
