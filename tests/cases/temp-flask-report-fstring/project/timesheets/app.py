"""Timesheets: each team lead downloads the week's hours as a CSV report."""

from flask import Flask, send_file

app = Flask(__name__)

HOURS = {
    1: [("ada", 38), ("grace", 41)],
    2: [("linus", 35)],
}


@app.route("/teams/<int:team>/report.csv")
def team_report(team):
    path = f"/tmp/report_{team}.csv"
    with open(path, "w") as report:
        report.write("member,hours\n")
        for member, hours in HOURS.get(team, []):  # a team with no hours yet: just the header
            report.write(f"{member},{hours}\n")
    return send_file(path, mimetype="text/csv", as_attachment=True, download_name=f"team-{team}.csv")
